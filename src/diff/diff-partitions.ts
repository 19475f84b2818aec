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
import type { Change } from './change.js'
import { compareKeys, type Matched } from './diff-named.js'
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
    ...(attaches && newOf
      ? [{ kind: 'attachPartition', table, partitionOf: newOf, ...ownIndexes(before, after) } as const]
      : []),
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

/** `ownIndexes` of an attach (change.ts): the table's own indexes and index-backed keys on both sides, by name. */
function ownIndexes(before: Table, after: Table): { readonly ownIndexes?: readonly string[] } {
  const names = (table: Table) => [
    ...table.indexes.map((index) => index.name),
    ...(table.primaryKey === undefined ? [] : [table.primaryKey.name]),
    ...table.uniques.map((unique) => unique.name),
    ...(table.exclusions ?? []).map((exclusion) => exclusion.name),
  ]
  const kept = new Set(names(after))
  const both = names(before).filter((name) => kept.has(name))
  return both.length === 0 ? {} : { ownIndexes: both }
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
