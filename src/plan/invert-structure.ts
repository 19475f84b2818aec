import { assertNever } from '../assert-never.js'
import type { TableStructureChange } from '../diff/change.js'

/**
 * The change that undoes a table-structure change: every kind comes in an inverse pair (add/drop exclusion,
 * attach/detach partition, add/drop inheritance, create/drop rule) that carries the whole object, so the inverse is
 * the other kind of the pair over the same data.
 *
 * @example
 * invertStructureChange({ kind: 'detachPartition', table, partitionOf }) // { kind: 'attachPartition', table, partitionOf }
 */
export function invertStructureChange(change: TableStructureChange): TableStructureChange {
  switch (change.kind) {
    case 'addExclusion':
      return { ...change, kind: 'dropExclusion' }
    case 'dropExclusion':
      return { ...change, kind: 'addExclusion' }
    case 'attachPartition':
      // DETACH leaves the copies the attach made as the table's own: the undo drops them (steps-partitions.ts).
      return { ...change, kind: 'detachPartition', undoesAttach: true }
    case 'detachPartition': {
      const { undoesAttach: _undo, ...attach } = change
      return { ...attach, kind: 'attachPartition' }
    }
    case 'addInherit':
      return { ...change, kind: 'dropInherit' }
    case 'dropInherit':
      return { ...change, kind: 'addInherit' }
    case 'createRule':
      return { ...change, kind: 'dropRule' }
    case 'dropRule':
      return { ...change, kind: 'createRule' }
    default:
      return assertNever(change)
  }
}
