import { KeelError } from '../errors.js'
import type { QualifiedName, Schema, Table } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import type { Change } from './change.js'
import type { TableHierarchy } from './table-hierarchy.js'

/**
 * Refuses a change of type (or collation) of a column that a partition key reads: its table's, or a sub-partitioned
 * partition's below it, which takes the change too. The server refuses it and has no other way to do it in
 * place: the naive plan failed there (after detaching the table's partitions), and the phased plan stopped on
 * a backfill with no key to walk by (BACKFILL_NO_KEY), which said nothing of the cause. `from`: the current schema with
 * the renames applied (the tables named as `changes` name them).
 */
export function refusePartitionKeyTypes(from: Schema, changes: readonly Change[], hierarchy: TableHierarchy): void {
  refusePartitionKeyRetypes(
    from,
    changes.flatMap((change) =>
      change.kind === 'alterColumn' && change.aspects.some((a) => a === 'type' || a === 'collation')
        ? [{ table: change.table, column: change.from.name }]
        : [],
    ),
    hierarchy,
  )
}

/** {@link refusePartitionKeyTypes} of columns whose type changes (a phased plan's retyped columns). */
export function refusePartitionKeyRetypes(
  from: Schema,
  retyped: readonly { readonly table: QualifiedName; readonly column: string }[],
  hierarchy: TableHierarchy,
): void {
  const reads = hierarchy.partitionKeyReads
  if (reads === undefined) return
  const byName = new Map(from.tables.map((t) => [nameKey(t.name), t]))
  for (const { table: name, column } of retyped) {
    const table = byName.get(nameKey(name))
    if (table === undefined) continue
    const keyed = [table, ...subPartitioned(from, table.name, hierarchy)].find((t) => reads(t, column))
    if (keyed === undefined) continue
    const key = hierarchy.facts(keyed).partitionBy ?? ''
    throw new KeelError(
      'PARTITION_KEY_TYPE',
      `cannot change the type of ${displayName(table.name)}.${column} to the one the schema gives it: the partition key of ${displayName(keyed.name)} (${key}) reads it, and the server cannot change the type of a partition key column in place, online or not`,
    )
  }
}

/** The partitions of `table`, at any depth, that are partitioned themselves. */
function subPartitioned(schema: Schema, table: QualifiedName, hierarchy: TableHierarchy): readonly Table[] {
  const found: Table[] = []
  const parents = [nameKey(table)]
  for (let i = 0; i < parents.length; i++) {
    for (const t of schema.tables) {
      const parent = hierarchy.facts(t).partitionOf?.parent
      if (parent === undefined || nameKey(parent) !== parents[i]) continue
      if (hierarchy.facts(t).partitionBy === undefined) continue
      found.push(t)
      parents.push(nameKey(t.name))
    }
  }
  return found
}
