import { assertNever } from '../../assert-never.js'
import type { Change, TableStructureChange } from '../../diff/change.js'
import { deepEqual, omitKeys } from '../../schema/equal.js'
import type { AttachedIndex, Table } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import type { ChangeOf, Unit } from './context.js'
import { constraintComment, unit } from './units.js'

/**
 * Units of a table-structure change. Exclusion constraints go with the other constraints (their comment as a unit
 * of its own); detaching and un-inheriting run before the parent's columns change, attaching and inheriting after
 * both tables have their final columns and checks; rules are dropped first and created last.
 */
export function expandStructureChange(change: TableStructureChange): Unit[] {
  switch (change.kind) {
    case 'addExclusion':
      return [
        unit('addConstraint', { ...change, exclusion: omitKeys(change.exclusion, 'comment') }, change),
        ...constraintComment(change.table, change.exclusion, change),
      ]
    case 'dropExclusion':
      return [unit('dropConstraint', change, change)]
    case 'attachPartition':
    case 'addInherit':
      return [unit('attachPartition', change, change)]
    case 'detachPartition':
    case 'dropInherit':
      return [unit('detachPartition', change, change)]
    case 'createRule':
      return [unit('createRule', change, change)]
    case 'dropRule':
      return [unit('dropRule', change, change)]
    default:
      return assertNever(change)
  }
}

/**
 * The partitioned tables among `changes` (by `nameKey`): those created or dropped with a partition key, and those
 * the differ marked on their index and foreign key changes.
 */
export function partitionedTables(changes: readonly Change[]): ReadonlySet<string> {
  const tables = new Set<string>()
  for (const change of changes) {
    if ((change.kind === 'createTable' || change.kind === 'dropTable') && change.table.ext?.postgres?.partitionBy)
      tables.add(nameKey(change.table.name))
    if (
      (change.kind === 'createIndex' ||
        change.kind === 'dropIndex' ||
        change.kind === 'addPrimaryKey' ||
        change.kind === 'addUnique' ||
        change.kind === 'addForeignKey' ||
        change.kind === 'dropForeignKey') &&
      change.partitioned
    )
      tables.add(nameKey(change.table))
  }
  return tables
}

/**
 * ALTER TABLE's options in `alterTable`; the renames of a partition's attached indexes later, in
 * `renameAttachedIndex`, once the parent's indexes they are copies of exist (each unit sees only its own aspect).
 */
export function alterTableUnits(change: ChangeOf<'alterTable'>): Unit[] {
  const attached = (table: Table) => table.ext?.postgres?.attachedIndexes
  const withAttached = (table: Table, list: Table): Table => withAttachedIndexes(table, attached(list))
  const units: Unit[] = [unit('alterTable', { ...change, to: withAttached(change.to, change.from) }, change)]
  if (!deepEqual(attached(change.from), attached(change.to)))
    units.push(
      unit(
        'renameAttachedIndex',
        { ...change, from: withAttached(change.from, change.from), to: withAttached(change.to, change.to) },
        change,
      ),
    )
  return units
}

/** `table` with `list` as its attached index names (none when undefined). */
export function withAttachedIndexes(table: Table, list: readonly AttachedIndex[] | undefined): Table {
  const { attachedIndexes: _old, ...postgres } = table.ext?.postgres ?? {}
  return {
    ...table,
    ext: { ...table.ext, postgres: list === undefined ? postgres : { ...postgres, attachedIndexes: list } },
  }
}
