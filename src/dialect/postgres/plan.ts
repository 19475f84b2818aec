/**
 * The PostgreSQL planner: changes → ordered steps, each with its SQL, its reverse, the lock it
 * takes and its cost.
 *
 * Conventions: every `sql` is one statement without a trailing semicolon (writers of migration
 * files add `;`). A `reverse.sql` is the SQL of the inverse of the step's source change and may hold
 * several statements joined by `;\n` (the reverse of a dropped table recreates its indexes and
 * comments too); it is empty when the step changes nothing that needs undoing (VALIDATE CONSTRAINT).
 * `transactional: false` marks the statements PostgreSQL refuses in a transaction block (CREATE and
 * DROP INDEX CONCURRENTLY) and those that must commit on their own: ALTER TYPE ... ADD VALUE (the
 * value cannot be used before its transaction commits) and VALIDATE CONSTRAINT (inside the
 * transaction of its NOT VALID step, that step's stronger lock would be held during the scan).
 * Changes other than renames name tables and columns by their names after the renames.
 */
import type { Change } from '../../diff/change.js'
import { orderUnits } from '../../plan/order.js'
import type { Policy } from '../../plan/policy.js'
import type { Phase, Plan, Reverse, Step } from '../../plan/step.js'
import type { Routine } from '../../schema/model.js'
import type { PlanSchemas } from '../dialect.js'
import type { Draft, PlanContext } from './context.js'
import { functionsByName } from './default-volatility.js'
import { expandChanges, scopeOf, unfoldEnumDependents } from './expand.js'
import { renderChange } from './render-unit.js'

/**
 * Plans `changes` for PostgreSQL under `policy`. Steps come in dependency order (plan/order.ts);
 * under the safe policy risky statements become online-safe sequences (CONCURRENTLY, NOT VALID then
 * VALIDATE, SET NOT NULL through a validated check). Both policies reach the same schema. `schemas`
 * (their functions) tell whether a new column's default calling a user's function rewrites the table.
 *
 * @example
 * const { changes } = diff(emptySchema, schema)
 * const plan = planPostgres(changes, safePolicy)
 * const script = plan.steps.map((step) => `${step.sql};`).join('\n')
 */
export function planPostgres(input: readonly Change[], policy: Policy, schemas?: PlanSchemas): Plan {
  const changes = unfoldEnumDependents(input)
  // Both ends: a function redefined in the plan counts as VOLATILE if either definition is (whichever runs first).
  const routines = functionsByName(
    schemas === undefined ? routinesMade(changes) : [...(schemas.from.routines ?? []), ...(schemas.to.routines ?? [])],
  )
  const ctx: PlanContext = { safe: policy.safe, ...scopeOf(changes), routines }
  // In the reverse direction what this plan creates is dropped and what it drops is created.
  const reverseCtx: PlanContext = {
    safe: policy.safe,
    created: ctx.dropped,
    dropped: ctx.created,
    addedColumns: ctx.droppedColumns,
    droppedColumns: ctx.addedColumns,
    ...(ctx.partitioned ? { partitioned: ctx.partitioned } : {}),
    // The undo of an enum recreated in place converts the same tables back: what it drops and makes again around
    // them goes in its transaction too (a down that dropped an index concurrently before a conversion that then
    // failed left the index gone).
    ...(ctx.convertedTables ? { convertedTables: ctx.convertedTables } : {}),
  }
  const steps = orderUnits(expandChanges(changes, ctx)).flatMap((unit) =>
    renderChange(unit.change, ctx).map((draft) => toStep(draft, phaseOf(unit.origin), reverseCtx)),
  )
  return { dialect: 'postgres', steps }
}

/**
 * The SQL that carries out `change` on its own, statements joined by `;\n`: what a step's reverse
 * holds when it is the inverse of the step's change. `base` says what the surrounding plan creates
 * and drops, so that no CONCURRENTLY is used on a table that is new or going away.
 */
export function renderChangeSql(change: Change, base: PlanContext): string {
  const changes = unfoldEnumDependents([change])
  const scope = scopeOf(changes)
  const ctx: PlanContext = {
    safe: base.safe,
    created: union(base.created, scope.created),
    dropped: union(base.dropped, scope.dropped),
    addedColumns: union(base.addedColumns, scope.addedColumns),
    droppedColumns: union(base.droppedColumns, scope.droppedColumns),
    partitioned: union(base.partitioned ?? new Set(), scope.partitioned ?? new Set()),
    recreatedTypes: scope.recreatedTypes ?? new Set(),
    convertedTables: union(base.convertedTables ?? new Set(), scope.convertedTables ?? new Set()),
  }
  return orderUnits(expandChanges(changes, ctx))
    .flatMap((unit) => renderChange(unit.change, ctx))
    .map((draft) => draft.sql)
    .join(';\n')
}

/** The functions the changes create or redefine, when the plan is not given the schema it leads to. */
function routinesMade(changes: readonly Change[]): Routine[] {
  return changes.flatMap((c) => (c.kind === 'createRoutine' ? [c.routine] : c.kind === 'alterRoutine' ? [c.to] : []))
}

function toStep(draft: Draft, phase: Phase, reverseCtx: PlanContext): Step {
  const reverse: Reverse =
    'of' in draft.reverse ? { sql: renderChangeSql(draft.reverse.of, reverseCtx) } : draft.reverse
  return {
    sql: draft.sql,
    reverse,
    transactional: draft.transactional ?? true,
    lock: draft.lock,
    rewritesTable: draft.rewritesTable ?? false,
    scansTable: draft.scansTable ?? false,
    dataLoss: draft.dataLoss ?? 'none',
    phase,
    ...(draft.noOnlineForm === undefined ? {} : { noOnlineForm: draft.noOnlineForm }),
    source: draft.source,
    comment: draft.comment,
  }
}

/** Drops are the contract phase (after application code stopped using the object); all else expands. */
function phaseOf(change: Change): Phase {
  if (change.kind.startsWith('drop')) return 'contract'
  if (change.kind === 'alterEnum' && change.from.values.some((value) => !change.to.values.includes(value)))
    return 'contract'
  return 'expand'
}

/** Both sets; `a` itself when it holds `b` already, as it does for every reverse within a plan (no copy per step). */
function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  for (const key of b) if (!a.has(key)) return new Set([...a, ...b])
  return a
}
