import type { Column, ForeignKey, Index, QualifiedName, Schema, Table, View } from '../schema/model.js'
import { nameKey, sameName } from '../schema/name.js'
import type { Change, Rename } from './change.js'
import { compareKeys } from './diff-named.js'
import { renameParents, type Target } from './diff-partitions.js'
import type { Taint } from './diff-views.js'
import { renameIdentifier } from './rename-identifier.js'
import type { TableHierarchy } from './table-hierarchy.js'

/**
 * Renames are never guessed. They come from the person's answers (the `renames` argument of `diff`) and from
 * `renamedFrom` hints on the `to` side, and are applied to `from` before anything is compared, so that a pure
 * rename yields exactly one change and a rename with edits yields the rename plus the edits.
 */
export interface AppliedRenames {
  /** `from` with every applicable rename applied, everywhere the old name was referenced. */
  readonly from: Schema
  /** `renameTable` (tables and views) then `renameColumn` changes, in the order the renames apply. */
  readonly changes: readonly Change[]
  /** Renamed views, keyed by `nameKey` of their new name: the view as `from` had it, under its old name. */
  readonly renamedViews: ReadonlyMap<string, View>
  /** Renamed columns by their OLD names (as `from`'s views name them), by `nameKey` of their table's new name. */
  readonly renamedColumns: Taint
}

type RelationRename = { readonly from: QualifiedName; readonly to: QualifiedName }
type ColumnRename = { readonly table: QualifiedName; readonly from: string; readonly to: string }

/**
 * Applies renames to `from`. A rename applies only when its old name exists in `from` and its new name does not
 * (so a hint left in a schema after its migration ran is inert), and its new name exists in `to`. Answers come
 * before hints; when two renames share an old or a new name, the first one wins. A column rename names its table
 * by the table's name in `to`.
 */
export function applyRenames(from: Schema, to: Schema, answers: readonly Rename[], target: Target): AppliedRenames {
  const relations = relationRenames(from, to, answers)
  const relationMap = new Map(relations.map((r) => [nameKey(r.from), r.to] as const))
  const renameRelation = (name: QualifiedName): QualifiedName => relationMap.get(nameKey(name)) ?? name
  let schema = renameRelations(from, renameRelation, target.hierarchy)
  const columns = columnRenames(schema, to, answers)
  const serialRenames = new Set(columns.filter((rename) => isSerial(schema, rename)))
  for (const rename of columns) schema = renameColumn(schema, rename, target.spelling.quoteIdent)
  const renamedViews = new Map(
    from.views
      .filter((view) => relationMap.has(nameKey(view.name)))
      .map((view) => [nameKey(renameRelation(view.name)), view] as const),
  )
  return {
    from: schema,
    changes: [
      ...relations.map((r): Change => ({ kind: 'renameTable', from: r.from, to: r.to, ...serialsOf(from, r.from) })),
      ...columns.map(
        (r): Change => ({ kind: 'renameColumn', ...r, ...(serialRenames.has(r) ? { serial: true } : {}) }),
      ),
    ],
    renamedViews,
    renamedColumns: oldColumnNames(columns),
  }
}

/** The serial columns of a table about to be renamed (their implied sequences follow the table's name). */
function serialsOf(schema: Schema, name: QualifiedName): { readonly serialColumns?: readonly string[] } {
  const table = schema.tables.find((t) => sameName(t.name, name))
  const serials = table?.columns.filter((c) => c.serial).map((c) => c.name) ?? []
  return serials.length > 0 ? { serialColumns: serials } : {}
}

/** Whether a column about to be renamed is a serial (looked up after the table renames, before the column ones). */
function isSerial(schema: Schema, rename: ColumnRename): boolean {
  const table = schema.tables.find((t) => sameName(t.name, rename.table))
  return table?.columns.find((c) => c.name === rename.from)?.serial === true
}

function oldColumnNames(renames: readonly ColumnRename[]): Taint {
  const byTable = new Map<string, Set<string>>()
  for (const rename of renames) {
    const key = nameKey(rename.table)
    byTable.set(key, new Set([...(byTable.get(key) ?? []), rename.from]))
  }
  return byTable
}

function byNewName<T extends { readonly name: QualifiedName }>(a: T, b: T): number {
  return compareKeys(nameKey(a.name), nameKey(b.name))
}

/** Table and view renames that apply, answers first, then hints in name order. */
function relationRenames(from: Schema, to: Schema, answers: readonly Rename[]): readonly RelationRename[] {
  const fromTables = new Set(from.tables.map((t) => nameKey(t.name)))
  const fromViews = new Set(from.views.map((v) => nameKey(v.name)))
  const toNames = new Set([...to.tables, ...to.views].map((r) => nameKey(r.name)))
  const candidates: (RelationRename & { readonly exists: ReadonlySet<string> })[] = []
  for (const answer of answers) {
    if (answer.kind === 'table') candidates.push({ ...answer, exists: new Set([...fromTables, ...fromViews]) })
  }
  for (const table of [...to.tables].sort(byNewName)) {
    if (table.renamedFrom) candidates.push({ from: table.renamedFrom, to: table.name, exists: fromTables })
  }
  for (const view of [...to.views].sort(byNewName)) {
    if (view.renamedFrom) candidates.push({ from: view.renamedFrom, to: view.name, exists: fromViews })
  }
  const olds = new Set<string>()
  const news = new Set<string>()
  const applied: RelationRename[] = []
  for (const { from: old, to: next, exists } of candidates) {
    const oldKey = nameKey(old)
    const newKey = nameKey(next)
    if (!exists.has(oldKey) || fromTables.has(newKey) || fromViews.has(newKey) || !toNames.has(newKey)) continue
    if (olds.has(oldKey) || news.has(newKey)) continue
    olds.add(oldKey)
    news.add(newKey)
    applied.push({ from: old, to: next })
  }
  return applied
}

/** `from` with tables and views renamed, and every reference to them (FKs, view dependencies, sequence owners). */
function renameRelations(
  schema: Schema,
  rename: (name: QualifiedName) => QualifiedName,
  hierarchy: TableHierarchy,
): Schema {
  return {
    ...schema,
    sequences: schema.sequences.map((seq) =>
      seq.ownedBy ? { ...seq, ownedBy: { ...seq.ownedBy, table: rename(seq.ownedBy.table) } } : seq,
    ),
    tables: schema.tables.map((table) => ({
      ...table,
      ...renameParents(table, rename, hierarchy),
      name: rename(table.name),
      foreignKeys: table.foreignKeys.map((fk) => ({
        ...fk,
        references: { ...fk.references, table: rename(fk.references.table) },
      })),
    })),
    views: schema.views.map((view) => ({ ...view, name: rename(view.name), dependsOn: view.dependsOn.map(rename) })),
  }
}

/** Column renames that apply, in tables present on both sides (after table renames): answers first, then hints. */
function columnRenames(from: Schema, to: Schema, answers: readonly Rename[]): readonly ColumnRename[] {
  const fromTables = new Map(from.tables.map((t) => [nameKey(t.name), t] as const))
  const candidates: ColumnRename[] = answers.flatMap((a) => (a.kind === 'column' ? [a] : []))
  for (const table of [...to.tables].sort(byNewName)) {
    const hinted = table.columns.filter((c) => c.renamedFrom !== undefined)
    hinted.sort((a, b) => compareKeys(a.name, b.name))
    for (const column of hinted)
      candidates.push({ table: table.name, from: column.renamedFrom as string, to: column.name })
  }
  const toTables = new Map(to.tables.map((t) => [nameKey(t.name), t] as const))
  const used = new Set<string>()
  const applied: ColumnRename[] = []
  for (const rename of candidates) {
    const key = nameKey(rename.table)
    const after = toTables.get(key)
    if (after === undefined || !columnRenameApplies(fromTables.get(key), after, rename)) continue
    const oldKey = `${key}\u0000old\u0000${rename.from}`
    const newKey = `${key}\u0000new\u0000${rename.to}`
    if (used.has(oldKey) || used.has(newKey)) continue
    used.add(oldKey)
    used.add(newKey)
    applied.push({ table: after.name, from: rename.from, to: rename.to })
  }
  return applied
}

/** A column rename applies when its table is on both sides, `from` has the old name only and `to` the new one. */
function columnRenameApplies(before: Table | undefined, after: Table, rename: ColumnRename): boolean {
  const has = (table: Table, name: string): boolean => table.columns.some((c) => c.name === name)
  return before !== undefined && has(before, rename.from) && !has(before, rename.to) && has(after, rename.to)
}

/** `schema` with one column renamed, in its table and wherever it is referenced (other tables' FKs, sequence owners). */
function renameColumn(schema: Schema, rename: ColumnRename, quoteIdent: (name: string) => string): Schema {
  const key = nameKey(rename.table)
  const name = (column: string): string => (column === rename.from ? rename.to : column)
  const expr = (text: string): string => renameIdentifier(text, rename.from, rename.to, quoteIdent)
  const references = (fk: ForeignKey): ForeignKey =>
    nameKey(fk.references.table) === key
      ? { ...fk, references: { ...fk.references, columns: fk.references.columns.map(name) } }
      : fk
  const renameInTable = (table: Table): Table => ({
    ...table,
    columns: table.columns.map((column) => renameColumnItself(column, name, expr)),
    ...(table.primaryKey ? { primaryKey: { ...table.primaryKey, columns: table.primaryKey.columns.map(name) } } : {}),
    uniques: table.uniques.map((u) => ({ ...u, columns: u.columns.map(name) })),
    indexes: table.indexes.map((index) => renameInIndex(index, name, expr)),
    foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: fk.columns.map(name) })),
    checks: table.checks.map((c) => ({ ...c, expr: expr(c.expr) })),
    ...(table.exclusions
      ? { exclusions: table.exclusions.map((x) => ({ ...x, definition: expr(x.definition) })) }
      : {}),
  })
  return {
    ...schema,
    sequences: schema.sequences.map((seq) =>
      seq.ownedBy && nameKey(seq.ownedBy.table) === key
        ? { ...seq, ownedBy: { ...seq.ownedBy, column: name(seq.ownedBy.column) } }
        : seq,
    ),
    tables: schema.tables.map((table) => {
      const renamed = nameKey(table.name) === key ? renameInTable(table) : table
      return { ...renamed, foreignKeys: renamed.foreignKeys.map(references) }
    }),
  }
}

function renameColumnItself(column: Column, name: (c: string) => string, expr: (e: string) => string): Column {
  const generated = column.generated ? { generated: { ...column.generated, expr: expr(column.generated.expr) } } : {}
  return { ...column, name: name(column.name), ...generated }
}

function renameInIndex(index: Index, name: (c: string) => string, expr: (e: string) => string): Index {
  return {
    ...index,
    parts: index.parts.map((part) => ({
      ...part,
      ...(part.column === undefined ? {} : { column: name(part.column) }),
      ...(part.expr === undefined ? {} : { expr: expr(part.expr) }),
    })),
    include: index.include.map(name),
    ...(index.where === undefined ? {} : { where: expr(index.where) }),
  }
}
