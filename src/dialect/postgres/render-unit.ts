import { assertNever } from '../../assert-never.js'
import type { Change } from '../../diff/change.js'
import type { Draft, PlanContext } from './context.js'
import { alterColumnSteps } from './steps-column.js'
import {
  addCheckSteps,
  addForeignKeySteps,
  addKeySteps,
  createIndexSteps,
  dropConstraintSteps,
  dropForeignKeySteps,
  dropIndexSteps,
} from './steps-constraint.js'
import { alterEnumSteps, createEnumSteps, dropEnumSteps } from './steps-enum.js'
import {
  alterExtensionSteps,
  alterSequenceSteps,
  commentSteps,
  extensionSteps,
  namespaceSteps,
  sequenceSteps,
  viewSteps,
} from './steps-objects.js'
import { structureSteps } from './steps-partitions.js'
import { routineSteps } from './steps-routines.js'
import { securitySteps } from './steps-security.js'
import {
  addColumnSteps,
  alterTableSteps,
  createTableSteps,
  dropColumnSteps,
  dropTableSteps,
  renameColumnSteps,
  renameObjectSteps,
  renameTableSteps,
} from './steps-table.js'

/**
 * The draft steps that carry out one change (or one unit's part of it), in execution order.
 * (`{ ...change, kind: change.kind }` narrows a union member that covers two kinds, such as
 * createTable | dropTable, to the one the case matched.)
 */
export function renderChange(change: Change, ctx: PlanContext): Draft[] {
  switch (change.kind) {
    case 'createNamespace':
    case 'dropNamespace':
      return namespaceSteps(change, ctx)
    case 'createExtension':
    case 'dropExtension':
      return extensionSteps(change, ctx)
    case 'alterExtension':
      return alterExtensionSteps(change, ctx)
    case 'createEnum':
      return createEnumSteps({ ...change, kind: change.kind }, ctx)
    case 'dropEnum':
      return dropEnumSteps({ ...change, kind: change.kind }, ctx)
    case 'alterEnum':
      return alterEnumSteps(change, ctx)
    case 'createSequence':
    case 'dropSequence':
      return sequenceSteps(change, ctx)
    case 'alterSequence':
      return alterSequenceSteps(change, ctx)
    case 'createTable':
      return createTableSteps({ ...change, kind: change.kind }, ctx)
    case 'dropTable':
      return dropTableSteps({ ...change, kind: change.kind }, ctx)
    case 'renameTable':
      return renameTableSteps(change, ctx)
    case 'alterTable':
      return alterTableSteps(change, ctx)
    case 'addColumn':
      return addColumnSteps({ ...change, kind: change.kind }, ctx)
    case 'dropColumn':
      return dropColumnSteps({ ...change, kind: change.kind }, ctx)
    case 'alterColumn':
      return alterColumnSteps(change, ctx)
    case 'renameColumn':
      return renameColumnSteps(change, ctx)
    case 'renameIndex':
    case 'renameConstraint':
      return renameObjectSteps(change, ctx)
    case 'addPrimaryKey':
      return addKeySteps({ ...change, kind: change.kind }, ctx)
    case 'addUnique':
      return addKeySteps({ ...change, kind: change.kind }, ctx)
    case 'dropPrimaryKey':
      return dropConstraintSteps({ ...change, kind: change.kind }, ctx)
    case 'dropUnique':
      return dropConstraintSteps({ ...change, kind: change.kind }, ctx)
    case 'dropCheck':
      return dropConstraintSteps({ ...change, kind: change.kind }, ctx)
    case 'addCheck':
      return addCheckSteps({ ...change, kind: change.kind }, ctx)
    case 'createIndex':
      return createIndexSteps({ ...change, kind: change.kind }, ctx)
    case 'dropIndex':
      return dropIndexSteps({ ...change, kind: change.kind }, ctx)
    case 'addForeignKey':
      return addForeignKeySteps({ ...change, kind: change.kind }, ctx)
    case 'dropForeignKey':
      return dropForeignKeySteps({ ...change, kind: change.kind }, ctx)
    case 'createView':
    case 'dropView':
      return viewSteps(change, ctx)
    case 'createDomain':
    case 'dropDomain':
    case 'alterDomain':
    case 'createRoutine':
    case 'dropRoutine':
    case 'alterRoutine':
    case 'createTrigger':
    case 'dropTrigger':
    case 'alterTrigger':
      return routineSteps(change, ctx)
    case 'setComment':
      return commentSteps(change, ctx)
    case 'addExclusion':
    case 'dropExclusion':
    case 'attachPartition':
    case 'detachPartition':
    case 'addInherit':
    case 'dropInherit':
    case 'createRule':
    case 'dropRule':
      return structureSteps(change, ctx)
    case 'grant':
    case 'revoke':
    case 'setRowLevelSecurity':
    case 'createPolicy':
    case 'dropPolicy':
    case 'alterPolicy':
    case 'createCollation':
    case 'dropCollation':
    case 'alterCollation':
      return securitySteps(change, ctx)
    default:
      return assertNever(change)
  }
}
