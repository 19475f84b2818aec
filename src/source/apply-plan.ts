import type { Connection } from '../db/connection.js'
import { sqlErrorAt } from '../db/sql-error.js'
import type { PatientLockHooks } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { type LockBudget, lockFailureText, withLockRetries } from '../migrate/lock-retry.js'
import { isRetryable, type PreparedStatement, StatementFailure, sessionSetup } from '../migrate/prepare-statements.js'
import { type IndexBuildEvent, watchIndexBuild } from '../migrate/watch-build.js'
import { keepRunsWhole } from '../migrate/whole-runs.js'
import type { Plan, Step } from '../plan/step.js'

/** Progress callback: called before each step runs. */
export type StepProgress = (step: Step, index: number, total: number) => void

/**
 * The lock budget `keel migrate` runs under (migrate/lock-retry.ts), for a plan applied straight to a database
 * (`keel push`): each try of a step waits at most `lockTimeout` for its lock, so that writers queue behind it
 * no longer than that, and a step that gave up is tried again with jittered backoff until the deadline.
 */
export interface PlanLocks extends LockBudget {
  /** The session's `lock_timeout` for each try (`100ms`, PostgreSQL syntax). */
  readonly lockTimeout: string
  /** A retry, the session holding the lock and how much of the deadline is spent. */
  readonly onNotice?: (text: string) => void
}

export interface ApplyOptions {
  readonly onStep?: StepProgress
  /**
   * Run each step under a lock budget. Without it the session's settings apply and nothing is retried (a
   * scratch database, which nobody else uses).
   */
  readonly locks?: PlanLocks | undefined
  /**
   * A second session on the same database, on which the progress of a concurrent index build is read while it
   * runs (reported through `onIndexBuild`, as `keel migrate` does).
   */
  readonly monitor?: Connection | undefined
  readonly onIndexBuild?: ((event: IndexBuildEvent) => void) | undefined
  /**
   * Asks the apply to stop (`keel push`'s first Ctrl-C): checked before each transaction (or step run alone), so
   * that what is running commits or fails whole, as it would have, and nothing after it starts; the apply then
   * throws {@link PlanInterrupted}.
   */
  readonly signal?: AbortSignal | undefined
}

/** The apply was stopped by ApplyOptions.signal between two transactions: `next` and the steps after it did not start. */
export class PlanInterrupted extends KeelError {
  constructor(readonly next: Step) {
    super('INTERRUPTED', `stopped by Ctrl-C before ${next.comment}`)
  }
}

/**
 * Locks one step is taken to hold until its transaction ends. A CREATE TABLE takes about five (the table, its TOAST
 * table and index, its key's index, an identity's sequence), most other steps one or two; eight leaves room.
 */
export const LOCKS_PER_STEP = 8

/**
 * Applies a plan to a database: consecutive transactional steps run in one transaction each group,
 * and a step PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY, ...) runs alone
 * between groups. A group that would take more locks than the server can spare (a plan of thousands of tables:
 * "out of shared memory") is split into several transactions, in order. A failure rolls back its group and names
 * the step, and says which steps were committed before it.
 *
 * With `locks`, the session gets the budget's lock_timeout and a group whose step gave up waiting for a lock
 * (or hit a deadlock) is rolled back and run again after a pause, with the retry loop of `keel migrate`
 * (withLockRetries); a concurrent build, which blocks no writer while it waits, waits up to the deadline in one
 * try instead (as migrate runs it), since a short timeout would leave its index INVALID.
 */
export async function applyPlan(
  conn: Connection,
  plan: Plan,
  onStepOrOptions?: StepProgress | ApplyOptions,
): Promise<void> {
  const options = typeof onStepOrOptions === 'function' ? { onStep: onStepOrOptions } : (onStepOrOptions ?? {})
  const { onStep, locks, monitor, onIndexBuild, signal } = options
  // A run that must not stop half-way (an enum recreated in place) gets no step outside a transaction among its steps.
  const groups = await withinLockBudget(conn, groupSteps(keepRunsWhole(plan.steps, (step) => !step.transactional)))
  if (locks !== undefined) await conn.exec(sessionSetup(locks.lockTimeout, '0', conn.dialect))
  let index = 0
  for (const group of groups) {
    if (signal?.aborted === true && group[0] !== undefined) throw new PlanInterrupted(group[0])
    const first = index
    const run = async (tx: Connection) => {
      index = first
      for (const step of group) {
        onStep?.(step, index, plan.steps.length)
        try {
          const patient = locks !== undefined ? patientLockFor(conn, step) : undefined
          const exec = () =>
            patient !== undefined && locks !== undefined
              ? patient.withPatientLockTimeout(tx, locks.lockDeadlineMs, () => tx.exec(step.sql))
              : tx.exec(step.sql)
          // A step outside a transaction that blocks nothing is a concurrent build: its progress is worth reading.
          await (!step.transactional && step.lock.blocks === 'nothing'
            ? watchIndexBuild(tx, monitor, `step ${index + 1}`, onIndexBuild, exec)
            : exec())
        } catch (error) {
          // A lock timeout or deadlock under a budget is retried (the whole group, rolled back) by the loop below.
          if (locks !== undefined && isRetryable(conn.dialect, error)) throw await stepFailure(conn, step, index, error)
          throw await applyFailed(conn, step, index, index - group.indexOf(step), error)
        }
        index++
      }
    }
    const once = () => (group[0]?.transactional ? conn.transaction(run) : run(conn))
    if (locks === undefined) {
      await once()
      continue
    }
    try {
      await withLockRetries({ ...locks, conn, events: locks }, once)
    } catch (error) {
      if (!(error instanceof StatementFailure)) throw error
      throw await applyFailed(conn, undefined, index, first, error.cause, error)
    }
  }
}

/** A step as the retry loop's StatementFailure: parsed (so that the blocking sessions can be found), labelled. */
export async function stepFailure(
  conn: Connection,
  step: Step,
  index: number,
  error: unknown,
): Promise<StatementFailure> {
  const label = `step ${index + 1} (${step.comment})`
  const parsed = await runtimeOf(conn.dialect)
    .runner.parseStatements(step.sql, label)
    .then((statements) => statements[0])
    .catch(() => undefined)
  const statement = {
    index: 0,
    sql: step.sql,
    line: 1,
    offset: 0,
    kind: parsed?.kind ?? '',
    node: parsed?.node ?? {},
    nonTransactional: parsed?.nonTransactional,
    file: label,
    hash: '',
  } as PreparedStatement
  return new StatementFailure(statement, error, { label })
}

/**
 * APPLY_FAILED naming the step, saying what was committed before it, with the server's own hint and, after a
 * lock timeout, who held the lock and how the retries ended.
 */
export async function applyFailed(
  conn: Connection,
  step: Step | undefined,
  index: number,
  committed: number,
  error: unknown,
  failure?: StatementFailure,
): Promise<KeelError> {
  const where = failure?.where ?? `step ${index + 1} (${step?.comment})`
  const sql = failure?.statement.sql ?? step?.sql ?? ''
  const cause = sqlErrorAt(error, sql, { file: where })
  // The server's own hint, if any, says what to change ("increase max_locks_per_transaction").
  const server = serverHint(error)
  const locks = failure === undefined ? undefined : await lockFailureText(conn, failure)
  const hint =
    locks?.gaveUp !== undefined
      ? `End or wait for the session that holds the lock, or give it longer with --lock-deadline (or lockDeadline in keel.config.ts), then run the command again.${committed > 0 ? ` Steps 1 to ${committed} were committed.` : ' Nothing was committed.'}`
      : committed > 0
        ? `Steps 1 to ${committed} were committed before this one failed; fix the cause and run the command again (the next plan starts from there).${server ? ` ${server}` : ''}`
        : server && `Nothing was committed. ${server}`
  return new KeelError('APPLY_FAILED', `${cause.message}\n  statement: ${sql}${locks?.text ?? ''}`, hint, {
    cause: error,
  })
}

/**
 * The dialect's patient lock timeout for a step that waits beside writers (a concurrent build: outside a transaction,
 * blocking no writer while it waits; see migrate's), or undefined.
 */
function patientLockFor(conn: Connection, step: Step): PatientLockHooks | undefined {
  if (step.transactional || step.lock.blocks !== 'nothing') return undefined
  return runtimeOf(conn.dialect).runner.patientLock
}

/**
 * The groups, with every transactional group longer than the server's lock budget allows cut into runs that fit.
 * A plan that could not exceed the smallest budget a server has (max_locks_per_transaction is at least 10) asks the
 * server nothing.
 */
async function withinLockBudget(
  conn: Connection,
  groups: readonly (readonly Step[])[],
): Promise<readonly (readonly Step[])[]> {
  const longest = Math.max(0, ...groups.filter((group) => group[0]?.transactional).map((group) => group.length))
  if (longest * LOCKS_PER_STEP <= 10) return groups
  const budget = await runtimeOf(conn.dialect).transactionLockBudget?.(conn)
  if (budget === undefined) return groups
  return splitLongGroups(groups, Math.max(1, Math.floor(budget / LOCKS_PER_STEP)))
}

/** Cuts each transactional group into runs of at most `maxSteps` steps, keeping order. */
export function splitLongGroups(groups: readonly (readonly Step[])[], maxSteps: number): readonly (readonly Step[])[] {
  return groups.flatMap((group) => {
    if (!group[0]?.transactional || group.length <= maxSteps) return [group]
    const runs: (readonly Step[])[] = []
    for (let start = 0; start < group.length; start += maxSteps) runs.push(group.slice(start, start + maxSteps))
    return runs
  })
}

/** Splits steps into runs of transactional steps and single non-transactional steps, keeping order. */
export function groupSteps(steps: readonly Step[]): readonly (readonly Step[])[] {
  const groups: Step[][] = []
  for (const step of steps) {
    const last = groups.at(-1)
    if (step.transactional && last?.[0]?.transactional) last.push(step)
    else groups.push([step])
  }
  return groups
}

function serverHint(error: unknown): string | undefined {
  const hint = (error as { hint?: unknown } | undefined)?.hint
  return typeof hint === 'string' && hint !== '' ? hint : undefined
}
