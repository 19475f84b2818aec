/**
 * Steps for privileges, row-level security, policies and collations. A change that needs several statements is
 * split into transitions, each a change of its own, so that every step's reverse is the SQL of its inverse.
 */
import { assertNever } from '../../assert-never.js'
import type { Change, PrivilegeTarget, SecurityChange } from '../../diff/change.js'
import type { Collation, QualifiedName, RowLevelSecurity, RowPolicy } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf } from './context.js'
import { lockFor, noLock } from './locks.js'
import {
  renderAlterPolicy,
  renderCollationComment,
  renderCreateCollation,
  renderCreatePolicy,
  renderDropCollation,
  renderDropPolicy,
  renderGrant,
  renderPolicyComment,
  renderRevoke,
  renderRowSecurity,
} from './render-security.js'

/** The draft steps of one privilege, row-level security, policy or collation change, in execution order. */
export function securitySteps(change: SecurityChange, ctx: PlanContext): Draft[] {
  switch (change.kind) {
    case 'grant':
    case 'revoke':
      return [privilegeStep(change)]
    case 'setRowLevelSecurity':
      return rowSecuritySteps(change, ctx)
    case 'createPolicy':
      return createPolicySteps(change.table, change.policy, ctx)
    case 'dropPolicy': {
      const sql = renderDropPolicy(change.table, change.policy)
      const comment = `Drop policy ${change.policy.name} on ${displayName(change.table)}`
      return [tableStep(change.table, sql, change, comment, ctx)]
    }
    case 'alterPolicy':
      return alterPolicySteps(change.table, change.from, change.to, ctx)
    case 'createCollation':
      return createCollationSteps(change.collation)
    case 'dropCollation':
      return [catalogStep(renderDropCollation(change.collation), change, `Drop ${describe(change.collation)}`)]
    case 'alterCollation':
      return [collationCommentStep(change.from, change.to)]
    default:
      return assertNever(change)
  }
}

/**
 * GRANT or REVOKE. They rewrite the object's catalog row only and take no lock on a table
 * (objectNamesToOids resolves relations with NoLock), so they block nobody.
 */
export function privilegeStep(change: ChangeOf<'grant' | 'revoke'>): Draft {
  const { target, grantee, privileges } = change
  const what = `${privileges.join(', ')} on ${describeTarget(target)}`
  const grant = change.kind === 'grant'
  return {
    sql: grant
      ? renderGrant(target, grantee, privileges, change.grantable === true)
      : renderRevoke(target, grantee, privileges),
    reverse: inverseOf(change),
    lock: noLock,
    source: change,
    comment: grant
      ? `Grant ${what} to ${grantee}${change.grantable ? ' with grant option' : ''}`
      : `Revoke ${what} from ${grantee}`,
  }
}

function describeTarget(target: PrivilegeTarget): string {
  switch (target.kind) {
    case 'namespace':
      return `schema ${target.name}`
    case 'routine':
      return `${target.routineKind} ${displayName(target.name)}(${target.identityArgs})`
    case 'materializedView':
      return `materialized view ${displayName(target.name)}`
    case 'table':
    case 'view':
    case 'sequence':
      return `${target.kind} ${displayName(target.name)}`
    default:
      return assertNever(target)
  }
}

/**
 * A step on a table that takes ACCESS EXCLUSIVE on it, briefly: ENABLE / FORCE ROW LEVEL SECURITY
 * (AlterTableGetLockLevel) and CREATE / ALTER / DROP POLICY all do.
 */
function tableStep(table: QualifiedName, sql: string, source: Change, comment: string, ctx: PlanContext): Draft {
  return { sql, reverse: inverseOf(source), lock: lockFor('alterTable', [table], ctx), source, comment }
}

/** The model's value for row-level security: omitted when neither switch is on. */
function rowSecurityOf(enabled: boolean, forced: boolean): RowLevelSecurity | undefined {
  if (!enabled && !forced) return undefined
  return forced ? { enabled, forced: true } : { enabled }
}

/** ENABLE / DISABLE, then FORCE / NO FORCE: one step each, for what differs. */
function rowSecuritySteps(change: ChangeOf<'setRowLevelSecurity'>, ctx: PlanContext): Draft[] {
  const { table } = change
  const steps: Draft[] = []
  let enabled = change.from?.enabled ?? false
  let forced = change.from?.forced ?? false
  const move = (nextEnabled: boolean, nextForced: boolean, action: Parameters<typeof renderRowSecurity>[1]) => {
    const source: Change = {
      kind: 'setRowLevelSecurity',
      table,
      from: rowSecurityOf(enabled, forced),
      to: rowSecurityOf(nextEnabled, nextForced),
    }
    const verb = action.toLowerCase().replace('no force', 'stop forcing')
    const comment = `${capital(verb)} row level security on ${displayName(table)}`
    steps.push(tableStep(table, renderRowSecurity(table, action), source, comment, ctx))
    enabled = nextEnabled
    forced = nextForced
  }
  const toEnabled = change.to?.enabled ?? false
  const toForced = change.to?.forced ?? false
  if (enabled !== toEnabled) move(toEnabled, forced, toEnabled ? 'ENABLE' : 'DISABLE')
  if (forced !== toForced) move(enabled, toForced, toForced ? 'FORCE' : 'NO FORCE')
  return steps
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function withoutComment<T extends { readonly comment?: string }>(value: T): T {
  const { comment: _, ...rest } = value
  return rest as T
}

function createPolicySteps(table: QualifiedName, policy: RowPolicy, ctx: PlanContext): Draft[] {
  const bare = withoutComment(policy)
  const create: Change = { kind: 'createPolicy', table, policy: bare }
  const where = `policy ${policy.name} on ${displayName(table)}`
  const steps = [tableStep(table, renderCreatePolicy(table, bare), create, `Create ${where}`, ctx)]
  if (policy.comment !== undefined) steps.push(policyCommentStep(table, bare, policy, ctx))
  return steps
}

/** COMMENT ON POLICY takes SHARE UPDATE EXCLUSIVE on the table, as COMMENT ON any object of a table does. */
function policyCommentStep(table: QualifiedName, from: RowPolicy, to: RowPolicy, ctx: PlanContext): Draft {
  const source: Change = { kind: 'alterPolicy', table, from, to }
  return {
    sql: renderPolicyComment(table, to),
    reverse: inverseOf(source),
    lock: lockFor('comment', [table], ctx),
    source,
    comment: `${to.comment === undefined ? 'Remove' : 'Set'} the comment of policy ${to.name} on ${displayName(table)}`,
  }
}

/** ALTER POLICY for roles and expressions, then COMMENT ON POLICY. */
function alterPolicySteps(table: QualifiedName, from: RowPolicy, to: RowPolicy, ctx: PlanContext): Draft[] {
  const steps: Draft[] = []
  const altered: RowPolicy =
    from.comment === undefined ? withoutComment(to) : { ...withoutComment(to), comment: from.comment }
  if (!sameExceptComment(from, to)) {
    const source: Change = { kind: 'alterPolicy', table, from, to: altered }
    const sql = renderAlterPolicy(table, from, to)
    steps.push(tableStep(table, sql, source, `Alter policy ${to.name} on ${displayName(table)}`, ctx))
  }
  if (from.comment !== to.comment) steps.push(policyCommentStep(table, altered, to, ctx))
  return steps
}

function sameExceptComment(a: RowPolicy, b: RowPolicy): boolean {
  return (
    a.roles.join('\u0001') === b.roles.join('\u0001') &&
    a.using === b.using &&
    a.withCheck === b.withCheck &&
    a.command === b.command &&
    a.restrictive === b.restrictive
  )
}

/** A step that locks no table: collations and their comments. */
function catalogStep(sql: string, source: Change, comment: string): Draft {
  return { sql, reverse: inverseOf(source), lock: noLock, source, comment }
}

function describe(collation: Collation): string {
  return `collation ${displayName(collation.name)}`
}

function createCollationSteps(collation: Collation): Draft[] {
  const bare = withoutComment(collation)
  const create: Change = { kind: 'createCollation', collation: bare }
  const steps = [catalogStep(renderCreateCollation(bare), create, `Create ${describe(collation)}`)]
  if (collation.comment !== undefined) steps.push(collationCommentStep(bare, collation))
  return steps
}

function collationCommentStep(from: Collation, to: Collation): Draft {
  const source: Change = { kind: 'alterCollation', from, to }
  return catalogStep(renderCollationComment(to), source, `Set the comment of ${describe(to)}`)
}
