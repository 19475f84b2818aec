/**
 * Steps for domains, routines (functions, procedures, aggregates) and triggers. A change that needs
 * several statements is split into transitions, each a change of its own that differs in one respect,
 * so that every step's reverse is the SQL of its transition's inverse.
 */
import { assertNever } from '../../assert-never.js'
import type { Change, RoutineChange } from '../../diff/change.js'
import { routineNeedsRecreate } from '../../diff/diff-routines.js'
import { defaultPrivileges, privilegeChanges, routineTarget } from '../../diff/diff-security.js'
import type { Lock } from '../../plan/step.js'
import { deepEqual } from '../../schema/equal.js'
import type { Check, Domain, QualifiedName, Routine, Trigger } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import type { Draft, PlanContext } from './context.js'
import { inverseOf } from './context.js'
import { lockBlocks, lockFor, type PgLockMode } from './locks.js'
import { quoteIdent } from './quote.js'
import {
  renderAlterDomain,
  renderCreateDomain,
  renderCreateRoutine,
  renderDomainCheck,
  renderDomainCheckComment,
  renderDomainComment,
  renderDropDomain,
  renderDropRoutine,
  renderDropTrigger,
  renderRoutineComment,
  renderTriggerComment,
  renderTriggerEnabled,
} from './render-routines.js'
import { privilegeStep } from './steps-security.js'

/** The draft steps of one domain, routine or trigger change, in execution order. */
export function routineSteps(change: RoutineChange, ctx: PlanContext): Draft[] {
  switch (change.kind) {
    case 'createDomain':
      return createDomainSteps(change.domain, ctx)
    case 'dropDomain':
      return [catalogStep(renderDropDomain(change.domain.name), change, `Drop domain ${name(change.domain)}`)]
    case 'alterDomain':
      return alterDomainSteps(change.from, change.to, ctx)
    case 'createRoutine':
      return createRoutineSteps(change.routine)
    case 'dropRoutine':
      return [catalogStep(renderDropRoutine(change.routine), change, `Drop ${describeRoutine(change.routine)}`)]
    case 'alterRoutine':
      return alterRoutineSteps(change.from, change.to)
    case 'createTrigger':
      return createTriggerSteps(change.trigger, ctx)
    case 'dropTrigger':
      return [dropTriggerStep(change.trigger, ctx)]
    case 'alterTrigger':
      return alterTriggerSteps(change.from, change.to, ctx)
    default:
      return assertNever(change)
  }
}

/** A step that locks no table: routines, domain definitions, comments on them. */
function catalogStep(sql: string, source: Change, comment: string): Draft {
  return { sql, reverse: inverseOf(source), lock: noTableLock, source, comment }
}

const noTableLock: Lock = { mode: 'none', blocks: 'nothing', on: [] }

/** `mode` on the relations that existed before this plan; a new relation is used by nobody yet. */
function tableLock(mode: PgLockMode, relations: readonly QualifiedName[], ctx: PlanContext): Lock {
  const { on } = lockFor('alterTable', relations, ctx)
  return { mode, blocks: on.length === 0 ? 'nothing' : lockBlocks[mode], on }
}

/**
 * ALTER DOMAIN ADD CONSTRAINT and SET NOT NULL check every column of the domain, holding SHARE on
 * each table that has one (validateDomainConstraint); which tables those are is not in the change.
 */
const domainScanLock: Lock = { mode: 'SHARE', blocks: 'writes', on: [] }

const name = (domain: Domain) => displayName(domain.name)

/** The domain without comments: what CREATE DOMAIN makes before the COMMENT statements. */
function bareDomain(domain: Domain): Domain {
  const { comment: _, ...rest } = domain
  return { ...rest, checks: domain.checks.map(({ comment: _c, ...check }) => check) }
}

function createDomainSteps(domain: Domain, ctx: PlanContext): Draft[] {
  const bare = bareDomain(domain)
  const create: Change = { kind: 'createDomain', domain: bare }
  return [
    catalogStep(renderCreateDomain(bare), create, `Create domain ${name(domain)}`),
    ...alterDomainSteps(bare, domain, ctx),
  ]
}

/**
 * A changed base type or collation drops and creates the domain (PostgreSQL cannot alter either; the
 * drop fails while a column still uses it). Anything else is one ALTER DOMAIN or COMMENT per respect.
 */
function alterDomainSteps(from: Domain, to: Domain, ctx: PlanContext): Draft[] {
  if (!deepEqual(from.type, to.type) || from.collation !== to.collation) {
    const drop: Change = { kind: 'dropDomain', domain: from }
    return [
      catalogStep(renderDropDomain(from.name), drop, `Drop domain ${name(from)} to create it anew`),
      ...createDomainSteps(to, ctx),
    ]
  }
  const steps: Draft[] = []
  let current = from
  const move = (next: Domain, sql: string, comment: string, lock: Lock = noTableLock) => {
    const source: Change = { kind: 'alterDomain', from: current, to: next }
    steps.push({ ...catalogStep(sql, source, comment), lock, scansTable: lock !== noTableLock })
    current = next
  }
  const checkOf = (domain: Domain, checkName: string) => domain.checks.find((c) => c.name === checkName)
  for (const check of from.checks) {
    if (checkOf(to, check.name)?.expr === check.expr) continue
    const next = { ...current, checks: current.checks.filter((c) => c.name !== check.name) }
    move(
      next,
      renderAlterDomain(to.name, `DROP CONSTRAINT ${quoteIdent(check.name)}`),
      `Drop check ${check.name} of domain ${name(to)}`,
    )
  }
  if (!deepEqual(from.default, to.default)) {
    const { default: _, ...withoutDefault } = current
    const next = to.default === undefined ? withoutDefault : { ...current, default: to.default }
    const action = to.default === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${to.default.sql}`
    move(next, renderAlterDomain(to.name, action), `Change the default of domain ${name(to)}`)
  }
  if (from.notNull !== to.notNull) {
    const { notNull: _, ...nullable } = current
    const next = to.notNull === true ? { ...current, notNull: true as const } : nullable
    const action = to.notNull === true ? 'SET NOT NULL' : 'DROP NOT NULL'
    move(
      next,
      renderAlterDomain(to.name, action),
      `${action} on domain ${name(to)}`,
      to.notNull ? domainScanLock : noTableLock,
    )
  }
  for (const check of to.checks) {
    if (checkOf(current, check.name) !== undefined) continue
    const { comment: _, ...bare } = check
    const next = { ...current, checks: sortChecks([...current.checks, bare]) }
    const sql = renderAlterDomain(to.name, `ADD ${renderDomainCheck(bare)}`)
    move(next, sql, `Add check ${check.name} to domain ${name(to)}`, domainScanLock)
  }
  for (const check of to.checks) {
    const own = checkOf(current, check.name)
    if (own === undefined || own.comment === check.comment) continue
    const next = { ...current, checks: current.checks.map((c) => (c.name === check.name ? check : c)) }
    const sql = renderDomainCheckComment(to.name, check.name, check.comment)
    move(next, sql, `Set the comment of check ${check.name} of domain ${name(to)}`)
  }
  if (current.comment !== to.comment) {
    move(to, renderDomainComment(to.name, to.comment), `Set the comment of domain ${name(to)}`)
  }
  return steps
}

function sortChecks(checks: readonly Check[]): readonly Check[] {
  return [...checks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function describeRoutine(routine: Routine): string {
  return `${routine.kind} ${displayName(routine.name)}(${routine.identityArgs})`
}

/** CREATE, then its comment and the privileges that differ from the default (EXECUTE to PUBLIC). */
function createRoutineSteps(routine: Routine): Draft[] {
  const { comment, privileges, ...bare } = routine
  const create: Change = { kind: 'createRoutine', routine: bare }
  const steps = [catalogStep(renderCreateRoutine(bare), create, `Create ${describeRoutine(routine)}`)]
  if (comment !== undefined) steps.push(routineCommentStep(bare, { ...bare, comment }))
  if (privileges !== undefined) {
    const grants = privilegeChanges(routineTarget(routine), defaultPrivileges('routine'), privileges)
    steps.push(...grants.map(privilegeStep))
  }
  return steps
}

function routineCommentStep(from: Routine, to: Routine): Draft {
  const source: Change = { kind: 'alterRoutine', from, to }
  return catalogStep(renderRoutineComment(to, to.comment), source, `Set the comment of ${describeRoutine(to)}`)
}

/**
 * CREATE OR REPLACE when PostgreSQL allows it (the body, volatility, settings... change, but not the
 * kind, result type or parameters); else DROP then CREATE, which fails while a view or column default
 * still uses the routine (triggers that call it are dropped and created around it by the differ).
 */
function alterRoutineSteps(from: Routine, to: Routine): Draft[] {
  if (routineNeedsRecreate(from, to)) {
    const drop: Change = { kind: 'dropRoutine', routine: from }
    return [
      catalogStep(renderDropRoutine(from), drop, `Drop ${describeRoutine(from)} to create it anew`),
      ...createRoutineSteps(to),
    ]
  }
  const steps: Draft[] = []
  const replaced: Routine = withComment({ ...to }, from.comment)
  if (from.definition !== to.definition) {
    const source: Change = { kind: 'alterRoutine', from, to: replaced }
    steps.push(catalogStep(renderCreateRoutine(replaced), source, `Replace ${describeRoutine(to)}`))
  }
  if (from.comment !== to.comment) steps.push(routineCommentStep(replaced, to))
  return steps
}

function withComment<T extends { readonly comment?: string }>(value: T, comment: string | undefined): T {
  const { comment: _, ...rest } = value
  return (comment === undefined ? rest : { ...rest, comment }) as T
}

/** CREATE TRIGGER takes SHARE ROW EXCLUSIVE on its table: writes wait, reads go on. */
function createTriggerSteps(trigger: Trigger, ctx: PlanContext): Draft[] {
  const { comment: _, enabled: _e, ...bare } = trigger
  const create: Change = { kind: 'createTrigger', trigger: bare }
  return [
    {
      sql: trigger.definition,
      reverse: inverseOf(create),
      lock: tableLock('SHARE ROW EXCLUSIVE', [trigger.table], ctx),
      source: create,
      comment: `Create trigger ${trigger.name} on ${displayName(trigger.table)}`,
    },
    ...alterTriggerSteps(bare, trigger, ctx),
  ]
}

/** DROP TRIGGER takes ACCESS EXCLUSIVE on its table, briefly. */
function dropTriggerStep(trigger: Trigger, ctx: PlanContext): Draft {
  const change: Change = { kind: 'dropTrigger', trigger }
  return {
    sql: renderDropTrigger(trigger),
    reverse: inverseOf(change),
    lock: tableLock('ACCESS EXCLUSIVE', [trigger.table], ctx),
    source: change,
    comment: `Drop trigger ${trigger.name} on ${displayName(trigger.table)}`,
  }
}

/** ENABLE/DISABLE TRIGGER (SHARE ROW EXCLUSIVE), then COMMENT ON TRIGGER. */
function alterTriggerSteps(from: Trigger, to: Trigger, ctx: PlanContext): Draft[] {
  const steps: Draft[] = []
  const where = `trigger ${to.name} on ${displayName(to.table)}`
  let current = from
  if (from.enabled !== to.enabled) {
    const { enabled: _, ...origin } = current
    const next = to.enabled === undefined ? origin : { ...current, enabled: to.enabled }
    const source: Change = { kind: 'alterTrigger', from: current, to: next }
    steps.push({
      sql: renderTriggerEnabled(next),
      reverse: inverseOf(source),
      lock: tableLock('SHARE ROW EXCLUSIVE', [to.table], ctx),
      source,
      comment: `${to.enabled === 'D' ? 'Disable' : 'Enable'} ${where}`,
    })
    current = next
  }
  if (current.comment !== to.comment) {
    const source: Change = { kind: 'alterTrigger', from: current, to }
    steps.push({
      sql: renderTriggerComment(to, to.comment),
      reverse: inverseOf(source),
      lock: lockFor('comment', [to.table], ctx),
      source,
      comment: `Set the comment of ${where}`,
    })
  }
  return steps
}
