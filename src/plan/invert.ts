import { assertNever } from '../assert-never.js'
import type { Change } from '../diff/change.js'
import { invertRoutineChange } from './invert-routine.js'
import { invertSecurityChange } from './invert-security.js'
import { invertStructureChange } from './invert-structure.js'

/**
 * The change that undoes `change`: a create becomes the drop of the same object, an alteration
 * swaps its `from` and `to`, a rename renames back. Drops keep the whole dropped object, so the
 * inverse of a drop recreates it exactly (its structure, not its data). Planners render the
 * inverse to compute each step's reverse SQL, so reversibility is computed, never declared.
 *
 * @example
 * invertChange({ kind: 'renameColumn', table, from: 'name', to: 'full_name' })
 * // { kind: 'renameColumn', table, from: 'full_name', to: 'name' }
 */
export function invertChange(change: Change): Change {
  switch (change.kind) {
    case 'createNamespace':
      return { kind: 'dropNamespace', namespace: change.namespace }
    case 'dropNamespace':
      return { kind: 'createNamespace', namespace: change.namespace }
    case 'createExtension':
      return { kind: 'dropExtension', extension: change.extension }
    case 'dropExtension':
      return { kind: 'createExtension', extension: change.extension }
    case 'alterExtension':
      return { kind: 'alterExtension', from: change.to, to: change.from }
    case 'createEnum':
      return { kind: 'dropEnum', enum: change.enum }
    case 'dropEnum':
      return { kind: 'createEnum', enum: change.enum }
    case 'alterEnum':
      // Usages and dependents stay: the inverse converts the same columns around the same objects.
      return { ...change, from: change.to, to: change.from }
    case 'createSequence':
      return { kind: 'dropSequence', sequence: change.sequence }
    case 'dropSequence':
      return { kind: 'createSequence', sequence: change.sequence }
    case 'alterSequence':
      return { kind: 'alterSequence', from: change.to, to: change.from }
    case 'createTable':
      return { kind: 'dropTable', table: change.table }
    case 'dropTable':
      return { kind: 'createTable', table: change.table }
    case 'renameTable':
      return { ...change, from: change.to, to: change.from }
    case 'alterTable':
      return { kind: 'alterTable', table: change.table, from: change.to, to: change.from }
    case 'addColumn':
      return { kind: 'dropColumn', table: change.table, column: change.column }
    case 'dropColumn':
      return { kind: 'addColumn', table: change.table, column: change.column }
    case 'alterColumn':
      return { kind: 'alterColumn', table: change.table, from: change.to, to: change.from, aspects: change.aspects }
    case 'renameColumn':
    case 'renameIndex':
    case 'renameConstraint':
      return { ...change, from: change.to, to: change.from }
    case 'addPrimaryKey':
      return { kind: 'dropPrimaryKey', table: change.table, primaryKey: change.primaryKey }
    case 'dropPrimaryKey':
      // With what the differ marked on the drop (a partitioned table's leaves, names held): the online form's.
      return { ...change, kind: 'addPrimaryKey' }
    case 'addUnique':
      return { kind: 'dropUnique', table: change.table, unique: change.unique }
    case 'dropUnique':
      return { ...change, kind: 'addUnique' }
    case 'createIndex':
      return { kind: 'dropIndex', table: change.table, index: change.index }
    case 'dropIndex':
      // With what the differ marked on the drop (a partitioned table's partitions and copies' names): the online form.
      return { ...change, kind: 'createIndex' }
    case 'addForeignKey':
      return { kind: 'dropForeignKey', table: change.table, foreignKey: change.foreignKey }
    case 'dropForeignKey':
      return { kind: 'addForeignKey', table: change.table, foreignKey: change.foreignKey }
    case 'addCheck':
      return { kind: 'dropCheck', table: change.table, check: change.check }
    case 'dropCheck':
      return { kind: 'addCheck', table: change.table, check: change.check }
    case 'createView':
      return { kind: 'dropView', view: change.view }
    case 'dropView':
      return { kind: 'createView', view: change.view }
    case 'setComment':
      return { kind: 'setComment', target: change.target, from: change.to, to: change.from }
    case 'addExclusion':
    case 'dropExclusion':
    case 'attachPartition':
    case 'detachPartition':
    case 'addInherit':
    case 'dropInherit':
    case 'createRule':
    case 'dropRule':
      return invertStructureChange(change)
    case 'createDomain':
    case 'dropDomain':
    case 'alterDomain':
    case 'createRoutine':
    case 'dropRoutine':
    case 'alterRoutine':
    case 'createTrigger':
    case 'dropTrigger':
    case 'alterTrigger':
      return invertRoutineChange(change)
    case 'grant':
    case 'revoke':
    case 'setRowLevelSecurity':
    case 'createPolicy':
    case 'dropPolicy':
    case 'alterPolicy':
    case 'createCollation':
    case 'dropCollation':
    case 'alterCollation':
      return invertSecurityChange(change)
    default:
      return assertNever(change)
  }
}
