import type { Connection } from '../db/connection.js'
import { isRetryable, StatementFailure } from './prepare-statements.js'

/** The default deadline of the lock retries of one statement (`lockDeadline`, `-- keel:lock-deadline`). */
export const DEFAULT_LOCK_DEADLINE_MS = 60_000

/** How long, and how often, a statement that gave up waiting for a lock is tried again. */
export interface LockBudget {
  /** Retries at most (Infinity by default: the deadline bounds them). */
  readonly lockRetries: number
  /** Time from the first try after which no retry starts. */
  readonly lockDeadlineMs: number
}

/** What the retry loop needs of the runner: its budget, its session (to name blockers) and where notices go. */
export interface LockRetryContext extends LockBudget {
  readonly conn: Connection
  readonly events: { readonly onNotice?: (text: string) => void }
}

/** Why the retries stopped, kept on the last failure for the final error. */
export interface GaveUp {
  readonly attempts: number
  readonly elapsedMs: number
  readonly budget: LockBudget
}

const gaveUp = new WeakMap<StatementFailure, GaveUp>()

/** How the retries of a failure ended, when it was retried (or allowed to be) under a lock budget. */
export function lockGaveUp(failure: StatementFailure): GaveUp | undefined {
  return gaveUp.get(failure)
}

/**
 * Runs `fn`, trying again after a lock timeout or a deadlock: the statement gave way to the application's
 * queries instead of sitting in the lock queue, where every writer that comes after it would wait behind it.
 *
 * Each try waits at most `lock_timeout` (short by default, see DEFAULT_LOCK_TIMEOUT), so a writer is held up
 * at most that long per try; between tries the lock queue is empty and writers pass. The pause between tries
 * grows (0.2 s, 0.4 s, ... up to 5 s) with jitter (50 to 100 % of it), so that several runners, or a runner
 * and a cron job, do not retry in lock step. No retry starts after `lockDeadlineMs` (nor after `lockRetries`
 * retries); the last failure then carries how many tries were made (see lockGaveUp), and every retry's
 * notice names the session that held the lock, how long the try waited and how much of the deadline is
 * spent.
 */
export async function withLockRetries<T>(ctx: LockRetryContext, fn: () => Promise<T>): Promise<T> {
  const started = performance.now()
  for (let attempt = 1; ; attempt++) {
    const tried = performance.now()
    try {
      return await fn()
    } catch (error) {
      if (!(error instanceof StatementFailure) || !isRetryable(ctx.conn.dialect, error.cause)) throw error
      const elapsed = performance.now() - started
      const delay = backoffMs(attempt)
      if (attempt > ctx.lockRetries || elapsed + delay >= ctx.lockDeadlineMs) {
        gaveUp.set(error, { attempts: attempt, elapsedMs: elapsed, budget: ctx })
        throw error
      }
      ctx.events.onNotice?.(await retryNotice(ctx, error, attempt, performance.now() - tried, delay, elapsed))
      await sleep(delay)
    }
  }
}

/** The pause after the `attempt`th try: exponential from 200 ms, capped at 5 s, jittered down to half. */
export function backoffMs(attempt: number): number {
  const ceiling = Math.min(5000, 200 * 2 ** Math.min(attempt - 1, 10))
  return ceiling * (0.5 + Math.random() * 0.5)
}

/**
 * `up.sql:4: canceling statement due to lock timeout after 0.1s, the lock held by pid 42 (application "psql",
 * idle in transaction, transaction open 12.3s): select ...; retrying in 0.3s (try 2, 0.4s of the 1min lock
 * deadline spent)`
 */
async function retryNotice(
  ctx: LockRetryContext,
  failure: StatementFailure,
  attempt: number,
  waitedMs: number,
  delayMs: number,
  elapsedMs: number,
): Promise<string> {
  // Loaded only when a lock was given up on: a run that never waits never needs it.
  const { describeBlocker, findLockBlockers } = await import('./lock-blockers.js')
  const blockers = await findLockBlockers(ctx.conn, failure.statement, failure.sqlstate, failure.cause)
  const heldBy = blockers.length === 0 ? '' : `, the lock held by ${blockers.map(describeBlocker).join('; and by ')}`
  const limit = Number.isFinite(ctx.lockRetries) ? `, at most ${ctx.lockRetries} retries` : ''
  return `${failure.where}: ${failure.message} after ${seconds(waitedMs)}${heldBy}; retrying in ${seconds(delayMs)} (try ${attempt + 1}, ${seconds(elapsedMs)} of the ${seconds(ctx.lockDeadlineMs)} lock deadline spent${limit})`
}

/**
 * What the final error of a failed statement adds about locks: each session that held a lock on its relations
 * (after a lock timeout), and how the retries ended (when it was retried). Empty for any other failure.
 */
export async function lockFailureText(
  conn: Connection,
  failure: StatementFailure,
): Promise<{ readonly gaveUp: GaveUp | undefined; readonly text: string }> {
  const { describeBlocker, findLockBlockers } = await import('./lock-blockers.js')
  const blockers = await findLockBlockers(conn, failure.statement, failure.sqlstate, failure.cause)
  const heldBy = blockers.map((b) => `\n  the lock was held by ${describeBlocker(b)}`).join('')
  const gaveUp = lockGaveUp(failure)
  return { gaveUp, text: `${heldBy}${gaveUp === undefined ? '' : `\n  ${gaveUpText(gaveUp)}`}` }
}

/** What the final error adds when the retries ran out. */
export function gaveUpText(info: GaveUp): string {
  const why =
    info.attempts > info.budget.lockRetries
      ? `its ${info.budget.lockRetries} retries`
      : `its lock deadline of ${seconds(info.budget.lockDeadlineMs)}`
  return `gave up after ${info.attempts} ${info.attempts === 1 ? 'try' : 'tries'} in ${seconds(info.elapsedMs)} (${why})`
}

function seconds(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}min`
  return `${(ms / 1000).toFixed(1)}s`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
