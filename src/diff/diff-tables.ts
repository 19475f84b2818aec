import { deepEqual } from '../schema/equal.js'
import type { QualifiedName, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change } from './change.js'
import { diffColumns } from './diff-columns.js'
import { diffConstraints } from './diff-constraints.js'
import { diffIndexes } from './diff-indexes.js'
import { compareKeys, matchByName } from './diff-named.js'
import { diffTableStructure, foreignKeysToRecreated, splitRecreatedTables, type Target } from './diff-partitions.js'
import type { Taint } from './diff-views.js'
import { markPartitioned } from './mark-partitioned.js'
import type { TableHierarchy } from './table-hierarchy.js'

/** The table changes, and the relations whose change forces the views over them to be recreated. */
export interface TablesDiff {
  readonly changes: readonly Change[]
  /**
   * Dropped tables, and the columns that are dropped (or dropped and added again) or change type or collation:
   * PostgreSQL refuses these while a view uses them.
   */
  readonly tainted: Taint
}

/**
 * Diffs the tables of two schemas (`from` already renamed). Dropped tables carry their indexes and constraints,
 * created tables carry theirs, foreign keys included (the planner splits FKs out to break cycles), so neither emits
 * separate index or constraint changes. Output: dropped tables, created tables, then each table present on both
 * sides, all in name order.
 *
 * `converted` names the columns whose enum type is recreated: their checks and the expressions and predicates of
 * their indexes are dropped and added again around the conversion, because PostgreSQL re-parses them against the
 * renamed old type (`'v'::mood_keel_old = m` has no operator once `m` has the new type).
 */
export function diffTables(from: Schema, to: Schema, converted: Taint, target: Target): TablesDiff {
  // Tables PostgreSQL cannot convert in place (a changed partition key, ...) are dropped and created again.
  const matched = splitRecreatedTables(
    matchByName(from.tables, to.tables, (t) => nameKey(t.name)),
    target.hierarchy,
  )
  const recreatedTables = new Set(
    matched.dropped
      .filter((t) => matched.added.some((a) => nameKey(a.name) === nameKey(t.name)))
      .map((t) => nameKey(t.name)),
  )
  const changes: Change[] = [
    ...matched.dropped.map((table): Change => ({ kind: 'dropTable', table })),
    ...matched.added.map((table): Change => ({ kind: 'createTable', table })),
  ]
  const tainted = new Map<string, ReadonlySet<string> | 'all'>(matched.dropped.map((t) => [nameKey(t.name), 'all']))
  for (const [before, after] of matched.both) {
    const structure = diffTableStructure(before, after, { from, to }, recreatedTables, target)
    const result = diffTable(structure.from, structure.to, convertedColumns(converted, after.name), target.hierarchy)
    changes.push(...structure.changes, ...result.changes)
    if (result.tainted.size > 0) tainted.set(nameKey(after.name), result.tainted)
  }
  const recreated = recreateDependentForeignKeys(matched.both, changes)
  // A recreated FK is added with its new comment: a separate setComment for it would be redundant.
  const recreatedKeys = new Set(
    recreated.map((c) => (c.kind === 'addForeignKey' ? constraintKey(c.table, c.foreignKey.name) : '')),
  )
  const kept = changes.filter(
    (c) =>
      !(
        c.kind === 'setComment' &&
        c.target.kind === 'constraint' &&
        recreatedKeys.has(constraintKey(c.target.table, c.target.constraint))
      ),
  )
  const toRecreated = foreignKeysToRecreated(matched.both, recreatedTables, kept)
  return {
    changes: markPartitioned(
      [...kept, ...recreated, ...toRecreated],
      from,
      to,
      target.hierarchy,
      target.indexColumnNames,
    ),
    tainted,
  }
}

/**
 * Diffs one table present on both sides, in the order a naive plan would run: table options, drops of indexes and
 * constraints, dropped columns, added columns, altered columns, added constraints and indexes, comments.
 *
 * Indexes and constraints over a dropped column: PostgreSQL drops them with the column, but they are still emitted
 * as `dropIndex`/`drop*` changes BEFORE the `dropColumn`, so the plan says what goes (lint and review see it, the
 * reverse recreates it) and the planner may render them `IF EXISTS` or fold them into the column's drop.
 */
function diffTable(
  from: Table,
  to: Table,
  converted: ReadonlySet<string>,
  hierarchy: TableHierarchy,
): { readonly changes: readonly Change[]; readonly tainted: ReadonlySet<string> } {
  const table = to.name
  const columns = diffColumns(from, to, converted)
  const constraints = diffConstraints(from, to, columns.gone, converted)
  const indexes = diffIndexes(table, from.indexes, to.indexes, columns.gone, converted)
  // The table options (UNLOGGED and kin): the hierarchy facts attach, detach or recreate the table instead.
  const options: Change[] = deepEqual(hierarchy.options(from), hierarchy.options(to))
    ? []
    : [{ kind: 'alterTable', table, from, to }]
  const comment: Change[] =
    from.comment === to.comment
      ? []
      : [{ kind: 'setComment', target: { kind: 'table', name: table }, from: from.comment, to: to.comment }]
  const changes = [
    ...options,
    ...indexes.drops,
    ...constraints.drops,
    ...columns.drops,
    ...columns.adds,
    ...columns.alters,
    ...constraints.adds,
    ...indexes.adds,
    ...comment,
    ...constraints.comments,
    ...indexes.comments,
  ]
  return { changes, tainted: new Set([...columns.gone, ...columns.retyped]) }
}

function convertedColumns(converted: Taint, table: QualifiedName): ReadonlySet<string> {
  const columns = converted.get(nameKey(table))
  return columns === undefined || columns === 'all' ? new Set() : columns
}

function constraintKey(table: QualifiedName, name: string): string {
  return `${nameKey(table)}\u0001${name}`
}

/** The key columns of a referenced table, order-free (PostgreSQL matches an FK to a unique index by column set). */
function keyOf(table: QualifiedName, columns: readonly string[]): string {
  return [nameKey(table), ...[...columns].sort(compareKeys)].join('\u0001')
}

/**
 * PostgreSQL refuses to drop a primary key, unique constraint or unique index that a foreign key depends on. When one
 * is dropped (and added again, typically under a new name), every unchanged FK that references exactly its columns
 * is dropped and added too, so that the planner can drop the FK first and add it back last.
 */
function recreateDependentForeignKeys(
  pairs: readonly (readonly [Table, Table])[],
  changes: readonly Change[],
): Change[] {
  const droppedKeys = new Set<string>()
  const droppedForeignKeys = new Set<string>()
  for (const change of changes) {
    if (change.kind === 'dropPrimaryKey') droppedKeys.add(keyOf(change.table, change.primaryKey.columns))
    if (change.kind === 'dropUnique') droppedKeys.add(keyOf(change.table, change.unique.columns))
    if (change.kind === 'dropIndex' && change.index.unique && change.index.where === undefined) {
      const columns = change.index.parts.map((part) => part.column)
      if (columns.every((c) => c !== undefined)) droppedKeys.add(keyOf(change.table, columns as string[]))
    }
    if (change.kind === 'dropForeignKey') droppedForeignKeys.add(constraintKey(change.table, change.foreignKey.name))
  }
  if (droppedKeys.size === 0) return []
  const recreated: Change[] = []
  for (const [before, after] of pairs) {
    const table = after.name
    for (const foreignKey of after.foreignKeys) {
      if (droppedForeignKeys.has(constraintKey(table, foreignKey.name))) continue
      const old = before.foreignKeys.find((fk) => fk.name === foreignKey.name)
      if (old === undefined || !droppedKeys.has(keyOf(old.references.table, old.references.columns))) continue
      recreated.push({ kind: 'dropForeignKey', table, foreignKey: old }, { kind: 'addForeignKey', table, foreignKey })
    }
  }
  return recreated
}
