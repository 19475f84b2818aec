/**
 * Privilege, row-level security, policy and collation changes → units, and the units that give a created object
 * its privileges, row-level security and policies (the differ leaves those to the object's creation, so that the
 * reverse of a dropped object brings them back too).
 */
import { assertNever } from '../../assert-never.js'
import type { Change, PrivilegeTarget, SecurityChange } from '../../diff/change.js'
import { defaultPrivileges, privilegeChanges } from '../../diff/diff-security.js'
import type { StepCategory } from '../../plan/order.js'
import type { Privilege, Table } from '../../schema/model.js'
import type { Unit } from './context.js'
import { unit } from './units.js'

const SECURITY_CATEGORIES = {
  grant: 'grant',
  revoke: 'revoke',
  setRowLevelSecurity: 'rowSecurity',
  createPolicy: 'createPolicy',
  alterPolicy: 'createPolicy',
  dropPolicy: 'dropPolicy',
  createCollation: 'createCollation',
  dropCollation: 'dropCollation',
  alterCollation: 'comment',
} as const satisfies Record<SecurityChange['kind'], StepCategory>

/** Whether the change is about privileges, row-level security, policies or collations. */
export function isSecurityChange(change: Change): change is SecurityChange {
  return change.kind in SECURITY_CATEGORIES
}

/** The unit of one privilege, row-level security, policy or collation change. */
export function expandSecurityChange(change: SecurityChange): Unit[] {
  switch (change.kind) {
    case 'grant':
    case 'revoke':
    case 'setRowLevelSecurity':
    case 'createPolicy':
    case 'alterPolicy':
    case 'dropPolicy':
    case 'createCollation':
    case 'dropCollation':
    case 'alterCollation':
      return [unit(SECURITY_CATEGORIES[change.kind], change, change)]
    default:
      return assertNever(change)
  }
}

/**
 * The units that bring a created object from its kind's default privileges to `privileges`, all in `grant` (after
 * the object exists; a revoke of a default privilege included).
 */
export function grantUnits(
  target: PrivilegeTarget,
  privileges: readonly Privilege[] | undefined,
  origin: Change,
): Unit[] {
  if (privileges === undefined) return []
  return privilegeChanges(target, defaultPrivileges(target.kind), privileges).map((change) =>
    unit('grant', change, origin),
  )
}

/** A created table's row-level security, policies and privileges, each a unit of its own. */
export function createdTableSecurityUnits(table: Table, origin: Change): Unit[] {
  const name = table.name
  return [
    ...(table.rowLevelSecurity === undefined
      ? []
      : [
          unit(
            'rowSecurity',
            { kind: 'setRowLevelSecurity', table: name, from: undefined, to: table.rowLevelSecurity },
            origin,
          ),
        ]),
    ...(table.policies ?? []).map((policy) =>
      unit('createPolicy', { kind: 'createPolicy', table: name, policy }, origin),
    ),
    ...grantUnits({ kind: 'table', name }, table.privileges, origin),
  ]
}
