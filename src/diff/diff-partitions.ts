/**
 * Partitions and inheritance in the differ. A partition or INHERITS child lists only what is its own (see
 * `PartitionOf` in the model); what it inherits changes with its parent. This module decides, for tables on both
 * sides, which ones cannot be converted in place (recreated), which attach or detach, and what the child's columns
 * and checks become at that moment, so that the ordinary column and constraint diff can run on them. The facts come
 * from the target dialect's {@link TableHierarchy} (PostgreSQL's: dialect/postgres/table-hierarchy.ts).
 */
import type { IndexColumnNames } from '../plan/phase-sql.js'
import { deepEqual } from '../schema/equal.js'
import type { Check, Column, QualifiedName, Schema, Table, TableExt } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { serialSequenceName } from '../schema/serial-sequence-name.js'
import type { Change, HeldName, PartitionLink } from './change.js'
import { compareKeys, type Matched } from './diff-named.js'
import { heldCopyNames, isCopyNamed, newCopiesOn } from './held-names.js'
import { heldAcrossPlan } from './held-names-plan.js'
import { type NameSpelling, nextvalDefault } from './serial-default.js'
import type { TableHierarchy, TableKeys } from './table-hierarchy.js'

/** A table's parents: its partitioned table, or its INHERITS list. */
export function tableParents(table: Table, hierarchy: TableHierarchy): readonly QualifiedName[] {
  const facts = hierarchy.facts(table)
  return facts.partitionOf ? [facts.partitionOf.parent] : (facts.inherits ?? [])
}

/**
 * Whether `from` cannot be turned into `to` in place (PostgreSQL cannot): the partition key changes (or a table
 * becomes or stops being partitioned), or a partition becomes an INHERITS child or the reverse.
 */
function cannotConvert(from: Table, to: Table, hierarchy: TableHierarchy): boolean {
  const before = hierarchy.facts(from)
  const after = hierarchy.facts(to)
  if (before.partitionBy !== after.partitionBy) return true
  if (before.partitionOf !== undefined && after.inherits !== undefined) return true
  return before.inherits !== undefined && after.partitionOf !== undefined
}

/** `matched` with the tables that cannot be converted in place moved to `dropped` and `added`. */
export function splitRecreatedTables(matched: Matched<Table>, hierarchy: TableHierarchy): Matched<Table> {
  const recreated = new Set(
    matched.both.filter(([a, b]) => cannotConvert(a, b, hierarchy)).map(([, b]) => nameKey(b.name)),
  )
  if (recreated.size === 0) return matched
  const byName = (x: Table, y: Table): number => compareKeys(nameKey(x.name), nameKey(y.name))
  const moved = matched.both.filter(([, b]) => recreated.has(nameKey(b.name)))
  return {
    dropped: [...matched.dropped, ...moved.map(([a]) => a)].sort(byName),
    added: [...matched.added, ...moved.map(([, b]) => b)].sort(byName),
    both: matched.both.filter(([, b]) => !recreated.has(nameKey(b.name))),
  }
}

/** What a table present on both sides becomes for the column and constraint diff, and its structure changes. */
export interface TableStructure {
  /** `from` as the column diff should see it: with the parent's columns and checks when it detaches. */
  readonly from: Table
  /** `to` as the column diff should see it: with the parent's columns and checks when it attaches. */
  readonly to: Table
  readonly changes: readonly Change[]
}

/**
 * The structure changes of a table present on both sides: DETACH / ATTACH PARTITION (a bound or parent that
 * changes, or a parent that is recreated, is a detach and an attach) and NO INHERIT / INHERIT (a recreated parent
 * is left and inherited again). While detached, the table holds the parent's columns and checks as its own
 * (PostgreSQL makes them local on detach), so those are added to the side that is detached, and the ordinary diff
 * brings the table to what the attach or INHERIT requires (the parent's columns, NOT NULLs, defaults and checks;
 * INHERIT then merges them, and the model leaves merged columns and checks out, as it does inherited ones).
 * `recreated` holds the `nameKey`s of the tables dropped and created again in this diff; `target` is the target
 * dialect's quoter, for the inherited serial defaults it spells, and its table hierarchy.
 */
export function diffTableStructure(
  before: Table,
  after: Table,
  schemas: { readonly from: Schema; readonly to: Schema },
  recreated: ReadonlySet<string>,
  target: Target,
): TableStructure {
  const table = after.name
  const oldOf = target.hierarchy.facts(before).partitionOf
  const newOf = target.hierarchy.facts(after).partitionOf
  const moves =
    oldOf !== undefined &&
    newOf !== undefined &&
    (!deepEqual(oldOf, newOf) || recreated.has(nameKey(newOf.parent)) || recreated.has(nameKey(oldOf.parent)))
  const detaches = oldOf !== undefined && (newOf === undefined || moves)
  const attaches = newOf !== undefined && (oldOf === undefined || moves)
  const oldParents = target.hierarchy.facts(before).inherits ?? []
  const newParents = target.hierarchy.facts(after).inherits ?? []
  const kept = (p: QualifiedName, others: readonly QualifiedName[]) =>
    !recreated.has(nameKey(p)) && others.some((q) => nameKey(q) === nameKey(p))
  const lost = oldParents.filter((p) => !kept(p, newParents))
  const gained = newParents.filter((p) => !kept(p, oldParents))
  const changes: Change[] = [
    ...(detaches && oldOf ? [{ kind: 'detachPartition', table, partitionOf: oldOf } as const] : []),
    ...lost.map((parent): Change => ({ kind: 'dropInherit', table, parent })),
    ...gained.map((parent): Change => ({ kind: 'addInherit', table, parent })),
    ...(attaches && newOf ? [{ kind: 'attachPartition', table, partitionOf: newOf } as const] : []),
  ]
  const fromParents = [...(detaches && oldOf ? [oldOf.parent] : []), ...lost]
  const toParents = [...(attaches && newOf ? [newOf.parent] : []), ...gained]
  const from = withInherited(before, fromParents, schemas.from, target)
  return {
    // A partition that leaves for good keeps its copies of the parent's keys and indexes as its own: without them the
    // diff added the desired table's primary key again after the detach (42P07: m2_pkey exists), and a phased change
    // found no key to backfill it by. (One that moves to another parent keeps what it has on both sides: left alone.)
    from:
      detaches && !attaches && oldOf ? withPartitionCopies(from, oldOf.parent, schemas.from, target.hierarchy) : from,
    to: withInherited(after, toParents, schemas.to, target),
    changes,
  }
}

/**
 * `table`, a partition of `parent`, with the keys and indexes it holds as copies of its parent's (partitionCopies),
 * the parent's own copies of its own parent included. `seen`: the tables below, against a cycle.
 */
function withPartitionCopies(
  table: Table,
  parent: QualifiedName,
  schema: Schema,
  hierarchy: TableHierarchy,
  seen: ReadonlySet<string> = new Set([nameKey(table.name)]),
): Table {
  const above = schema.tables.find((t) => nameKey(t.name) === nameKey(parent))
  if (above === undefined || seen.has(nameKey(parent)) || hierarchy.partitionCopies === undefined) return table
  const grandparent = hierarchy.facts(above).partitionOf?.parent
  const keys: TableKeys =
    grandparent === undefined
      ? above
      : withPartitionCopies(above, grandparent, schema, hierarchy, new Set([...seen, nameKey(parent)]))
  const held = hierarchy.partitionCopies(table, keys)
  const absent = <T extends { readonly name: string }>(own: readonly T[], more: readonly T[]) => [
    ...own,
    ...more.filter((m) => !own.some((o) => o.name === m.name)),
  ]
  return {
    ...table,
    ...(table.primaryKey === undefined && held.primaryKey !== undefined ? { primaryKey: held.primaryKey } : {}),
    uniques: absent(table.uniques, held.uniques),
    indexes: absent(table.indexes, held.indexes),
    foreignKeys: absent(table.foreignKeys, held.foreignKeys),
  }
}

/** The target dialect as the table diff needs it: how it spells names (quoter, default namespace) and its table hierarchy. */
export interface Target {
  readonly spelling: NameSpelling
  readonly hierarchy: TableHierarchy
  /** DiffOptions.indexColumnNames: names the copies of a new expression index on a partitioned table. */
  readonly indexColumnNames?: IndexColumnNames
}

/**
 * Foreign keys of surviving tables that reference a recreated table: DROP TABLE refuses while they exist, so each
 * (unless the diff already drops it) is dropped before and added again after.
 */
export function foreignKeysToRecreated(
  pairs: readonly (readonly [Table, Table])[],
  recreated: ReadonlySet<string>,
  changes: readonly Change[],
): Change[] {
  if (recreated.size === 0) return []
  const dropped = new Set(
    changes.flatMap((c) => (c.kind === 'dropForeignKey' ? [`${nameKey(c.table)}\u0001${c.foreignKey.name}`] : [])),
  )
  const result: Change[] = []
  for (const [before, after] of pairs) {
    for (const foreignKey of after.foreignKeys) {
      const old = before.foreignKeys.find((fk) => fk.name === foreignKey.name)
      if (old === undefined || !recreated.has(nameKey(old.references.table))) continue
      if (dropped.has(`${nameKey(after.name)}\u0001${foreignKey.name}`)) continue
      result.push(
        { kind: 'dropForeignKey', table: after.name, foreignKey: old },
        { kind: 'addForeignKey', table: after.name, foreignKey },
      )
    }
  }
  return result
}

/** `table` with the columns and checks it would hold as its own if it stopped inheriting from `parents`. */
function withInherited(table: Table, parents: readonly QualifiedName[], schema: Schema, target: Target): Table {
  if (parents.length === 0) return table
  const columns = new Map<string, Column>()
  const checks = new Map<string, Check>()
  for (const parent of parents) {
    for (const column of allColumns(parent, schema, target) ?? [])
      if (!columns.has(column.name)) columns.set(column.name, column)
    for (const check of allChecks(parent, schema, target.hierarchy))
      if (!checks.has(check.name)) checks.set(check.name, check)
  }
  for (const column of table.columns) columns.delete(column.name)
  for (const check of table.checks) checks.delete(check.name)
  return {
    ...table,
    columns: [...columns.values(), ...table.columns],
    checks: [...table.checks, ...checks.values()].sort((a, b) => compareKeys(a.name, b.name)),
  }
}

/**
 * Every column of a table, inherited ones first, as a child holds them: defaults and NOT NULL are copied, a serial
 * becomes a plain `nextval` default (the child does not own the sequence), and comments stay with the parent.
 * Undefined when the table is not in `schema`.
 */
function allColumns(
  name: QualifiedName,
  schema: Schema,
  target: Target,
  seen: ReadonlySet<string> = new Set(),
): Column[] | undefined {
  const key = nameKey(name)
  const table = schema.tables.find((t) => nameKey(t.name) === key)
  if (table === undefined || seen.has(key)) return undefined
  const inherited = tableParents(table, target.hierarchy).flatMap(
    (p) => allColumns(p, schema, target, new Set([...seen, key])) ?? [],
  )
  const own = table.columns.map((column) => asInherited(table, column, target.spelling))
  const names = new Set(own.map((c) => c.name))
  return [...inherited.filter((c) => !names.has(c.name)), ...own]
}

function asInherited(table: Table, column: Column, spelling: NameSpelling): Column {
  const { comment: _comment, renamedFrom: _renamed, backfill: _backfill, serial, ...rest } = column
  if (serial !== true) return rest
  const sequence = { ...table.name, name: serialSequenceName(table.name.name, column.name) }
  return { ...rest, default: { kind: 'sql', sql: nextvalDefault(sequence, spelling) } }
}

/** The checks a child inherits: the table's own and inherited ones, except NO INHERIT checks. */
function allChecks(
  name: QualifiedName,
  schema: Schema,
  hierarchy: TableHierarchy,
  seen: ReadonlySet<string> = new Set(),
): Check[] {
  const key = nameKey(name)
  const table = schema.tables.find((t) => nameKey(t.name) === key)
  if (table === undefined || seen.has(key)) return []
  const inherited = tableParents(table, hierarchy).flatMap((p) =>
    allChecks(p, schema, hierarchy, new Set([...seen, key])),
  )
  const own = table.checks.filter((check) => check.noInherit !== true).map(({ comment: _c, ...check }) => check)
  return [...inherited, ...own]
}

/** `table.ext` with its parent references renamed (for renames applied to `from`). */
export function renameParents(
  table: Table,
  rename: (name: QualifiedName) => QualifiedName,
  hierarchy: TableHierarchy,
): { readonly ext?: TableExt } {
  const ext = hierarchy.renameParents(table, rename)
  return ext === undefined ? {} : { ext }
}

/**
 * `changes` with index, key and foreign key changes on partitioned tables marked `partitioned` (the table as `to` has it
 * for creates and adds, as `from` has it for drops), since PostgreSQL has no online form of them there.
 */
export function markPartitioned(
  changes: readonly Change[],
  from: Schema,
  to: Schema,
  hierarchy: TableHierarchy,
  indexColumnNames?: IndexColumnNames,
): Change[] {
  const partitioned = (schema: Schema) =>
    new Set(schema.tables.filter((t) => hierarchy.facts(t).partitionBy !== undefined).map((t) => nameKey(t.name)))
  const before = partitioned(from)
  const after = partitioned(to)
  if (before.size === 0 && after.size === 0) return [...changes]
  const marked = changes.map((change): Change => {
    if ((change.kind === 'addPrimaryKey' || change.kind === 'addUnique') && after.has(nameKey(change.table))) {
      const leaves = leavesOf(to, change.table, hierarchy)
      return {
        ...change,
        partitioned: true,
        leaves,
        ...takenBy(from, leaves),
        ...foreignOf([from, to], change.table, hierarchy),
      }
    }
    if (change.kind === 'createIndex' && after.has(nameKey(change.table))) {
      const tree = partitionTree(to, change.table, hierarchy)
      const expression = change.index.parts.some((part) => part.column === undefined)
      const partitions = expression ? withCopyNames(tree, to, change.table, change.index.name) : tree
      return {
        ...change,
        partitioned: true,
        partitions,
        ...columnNamesOf(change, expression ? indexColumnNames : undefined),
        ...takenBy(
          from,
          partitions.map((p) => p.table),
        ),
        ...foreignOf([from, to], change.table, hierarchy),
      }
    }
    if (change.kind === 'alterTable') return withHeldDefaults(change, from, to)
    if (change.kind === 'addForeignKey')
      return after.has(nameKey(change.table)) ? { ...change, partitioned: true } : change
    if (change.kind === 'dropIndex' || change.kind === 'dropForeignKey')
      return before.has(nameKey(change.table)) ? { ...change, partitioned: true } : change
    return change
  })
  return heldAcrossPlan(marked)
}

/** The foreign partitions (at any depth) of partitioned `table` in `schemas` (introspected only), when it has any. */
function foreignOf(
  schemas: readonly Schema[],
  table: QualifiedName,
  hierarchy: TableHierarchy,
): { readonly foreignPartitions?: readonly QualifiedName[] } {
  const found = new Map<string, QualifiedName>()
  for (const schema of schemas) {
    const tree = [
      table,
      ...partitionTree(schema, table, hierarchy)
        .filter((p) => !p.leaf)
        .map((p) => p.table),
    ]
    for (const name of tree) {
      const at = schema.tables.find((t) => nameKey(t.name) === nameKey(name))
      for (const foreign of at === undefined ? [] : (hierarchy.facts(at).foreignPartitions ?? []))
        found.set(nameKey(foreign), foreign)
    }
  }
  return found.size === 0 ? {} : { foreignPartitions: [...found.values()] }
}

/** `columnNames` for a new expression index (change.ts), when `names` can tell them. */
function columnNamesOf(
  change: Extract<Change, { kind: 'createIndex' | 'dropIndex' }>,
  names: IndexColumnNames | undefined,
): { readonly columnNames?: readonly string[] } {
  const columnNames = names?.(change.table, change.index)
  return columnNames === undefined ? {} : { columnNames }
}

/**
 * `partitions` of a new index `name` on `root` with the names `schema`'s catalog lists for their copies of it
 * (copyName), each found by the name of the index it is attached to: `name` on a direct partition, its parent's copy's
 * below.
 */
function withCopyNames(
  partitions: readonly PartitionLink[],
  schema: Schema,
  root: QualifiedName,
  name: string,
): PartitionLink[] {
  const tables = new Map(schema.tables.map((t) => [nameKey(t.name), t]))
  const copyNames = new Map<string, string>()
  const nameOn = (table: QualifiedName) => copyNames.get(nameKey(table))
  // partitionTree lists a partition's own partitions before it: reversed, each parent comes before its partitions.
  for (const link of [...partitions].reverse()) {
    const attachedTo = nameKey(link.parent) === nameKey(root) ? name : nameOn(link.parent)
    const copies = tables.get(nameKey(link.table))?.ext?.postgres?.expressionIndexCopies ?? []
    const copy = attachedTo === undefined ? undefined : copies.find((c) => c.parent === attachedTo)?.name
    if (copy !== undefined) copyNames.set(nameKey(link.table), copy)
  }
  return partitions.map((link) => {
    const copyName = nameOn(link.table)
    return copyName === undefined ? link : { ...link, copyName }
  })
}

/** `taken` for a change on `partitions` (held-names.ts), when a name is. */
function takenBy(from: Schema, partitions: readonly QualifiedName[]): { readonly taken?: readonly HeldName[] } {
  const taken = heldCopyNames(from, partitions)
  return taken.length === 0 ? {} : { taken }
}

/**
 * `change` marked with the default names of the partition's new copies (attached indexes `to` names and `from` does
 * not) that the plan makes (no copy of `from` has the name): the server (and the online forms) give the copy another
 * name when a relation holds the default, in `from` or made after the plan (a table the plain ALTER INDEX of the
 * default name renamed), so the rename to the goal's name finds the copy by its parent index instead. Marked too
 * (`newCopies`) with the copies of indexes and keys the plan makes whose names the plan settles by their root index:
 * those of the renamed copies' default names, whichever of them the server (or the online form) numbered.
 */
function withHeldDefaults(change: Change & { readonly kind: 'alterTable' }, from: Schema, to: Schema): Change {
  const before = new Set((change.from.ext?.postgres?.attachedIndexes ?? []).map((a) => a.parent))
  const fresh = (change.to.ext?.postgres?.attachedIndexes ?? []).filter((a) => !before.has(a.parent))
  // Most alterTable changes rename no new copy: the schema is read only for those that do.
  if (fresh.length === 0) return change
  const held = fresh
    // A copy that has its default name in `from` holds it itself: the plain rename finds it.
    .filter((a) => !isCopyNamed(from, change.table, a.parent, a.defaultName))
    .map((a) => a.defaultName)
  const defaults = new Set(fresh.map((a) => a.defaultName))
  const made = newCopiesOn(from, to, change.table).filter((copy) => defaults.has(copy.defaultName))
  return {
    ...change,
    ...(held.length === 0 ? {} : { heldDefaults: held }),
    ...(made.length === 0 ? {} : { newCopies: made }),
  }
}

/** The leaf partitions of partitioned `table` in `schema`, at any depth (a partitioned partition's own leaves). */
function leavesOf(schema: Schema, table: QualifiedName, hierarchy: TableHierarchy): QualifiedName[] {
  return partitionTree(schema, table, hierarchy)
    .filter((p) => p.leaf)
    .map((p) => p.table)
}

/** Every partition of partitioned `table` in `schema`, at any depth, each partition's own partitions before it. */
function partitionTree(schema: Schema, table: QualifiedName, hierarchy: TableHierarchy): PartitionLink[] {
  return schema.tables.flatMap((t) => {
    const parent = hierarchy.facts(t).partitionOf?.parent
    if (parent === undefined || nameKey(parent) !== nameKey(table)) return []
    const leaf = hierarchy.facts(t).partitionBy === undefined
    return [...(leaf ? [] : partitionTree(schema, t.name, hierarchy)), { table: t.name, parent, leaf }]
  })
}
