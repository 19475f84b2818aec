import type { Connection } from '../db/connection.js'
import type { BlockerCancel, LockBlocker } from '../dialect/runner.js'
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
  /** The server's refusal to cancel a blocker it would itself have cancelled (e.g. an autovacuum), when it refused. */
  readonly cancelRefused?: string
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
 *
 * A blocker the server itself would cancel for a waiter that waited deadlock_timeout (an autovacuum that does
 * not prevent wraparound, which a try's short lock_timeout never gives the server the chance to cancel) is
 * cancelled, and the statement retried at once: otherwise it would retry until the vacuum ended, minutes on a
 * big table. A worker cancelled before and still there (it stops at its next check for interrupts) gets the
 * usual pause, so writers keep their turn between tries.
 */
export async function withLockRetries<T>(ctx: LockRetryContext, fn: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const cancelledPids = new Set<number>()
  let cancelRefused: string | undefined
  for (let attempt = 1; ; attempt++) {
    const tried = performance.now()
    try {
      return await fn()
    } catch (error) {
      if (!(error instanceof StatementFailure) || !isRetryable(ctx.conn.dialect, error.cause)) throw error
      const waitedMs = performance.now() - tried
      const elapsed = performance.now() - started
      const giveUp = (): never => {
        gaveUp.set(error, {
          attempts: attempt,
          elapsedMs: elapsed,
          budget: ctx,
          ...(cancelRefused === undefined ? {} : { cancelRefused }),
        })
        throw error
      }
      if (attempt > ctx.lockRetries || elapsed >= ctx.lockDeadlineMs) giveUp()
      // Loaded only when a lock was given up on: a run that never waits never needs it.
      const { cancelBlockers, describeBlocker, findLockBlockers } = await import('./lock-blockers.js')
      const blockers = await findLockBlockers(ctx.conn, error.statement, error.sqlstate, error.cause)
      const cancels = await cancelBlockers(ctx.conn, error.statement, blockers)
      const fresh = cancels.some((c) => c.cancelled && !cancelledPids.has(c.blocker.pid))
      for (const c of cancels) {
        if (c.cancelled) cancelledPids.add(c.blocker.pid)
        if (c.refused !== undefined) cancelRefused = `pid ${c.blocker.pid} (${c.blocker.query}): ${c.refused}`
      }
      const delay = fresh ? 0 : backoffMs(attempt)
      if (elapsed + delay >= ctx.lockDeadlineMs) giveUp()
      ctx.events.onNotice?.(
        retryNotice(ctx, error, { attempt, waitedMs, delay, elapsed, blockers, cancels, describeBlocker }),
      )
      if (delay > 0) await sleep(delay)
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
 * deadline spent)`; with `cancelled pid 43 (autovacuum: VACUUM public.t), as PostgreSQL would after
 * deadlock_timeout; retrying at once` when it cancelled an autovacuum.
 */
function retryNotice(
  ctx: LockRetryContext,
  failure: StatementFailure,
  t: {
    readonly attempt: number
    readonly waitedMs: number
    readonly delay: number
    readonly elapsed: number
    readonly blockers: readonly LockBlocker[]
    readonly cancels: readonly BlockerCancel[]
    readonly describeBlocker: (b: LockBlocker) => string
  },
): string {
  const heldBy =
    t.blockers.length === 0 ? '' : `, the lock held by ${t.blockers.map(t.describeBlocker).join('; and by ')}`
  const cancels = t.cancels.map((c) =>
    c.cancelled
      ? `; cancelled pid ${c.blocker.pid} (${c.blocker.query})${c.reason === undefined ? '' : `, ${c.reason}`}`
      : c.refused !== undefined
        ? `; could not cancel pid ${c.blocker.pid} (${c.blocker.query}): ${c.refused}`
        : '',
  )
  const limit = Number.isFinite(ctx.lockRetries) ? `, at most ${ctx.lockRetries} retries` : ''
  const when = t.delay === 0 ? 'at once' : `in ${seconds(t.delay)}`
  return `${failure.where}: ${failure.message} after ${seconds(t.waitedMs)}${heldBy}${cancels.join('')}; retrying ${when} (try ${t.attempt + 1}, ${seconds(t.elapsed)} of the ${seconds(ctx.lockDeadlineMs)} lock deadline spent${limit})`
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
  const refused = info.cancelRefused === undefined ? '' : `; could not cancel ${info.cancelRefused}`
  return `gave up after ${info.attempts} ${info.attempts === 1 ? 'try' : 'tries'} in ${seconds(info.elapsedMs)} (${why})${refused}`
}

function seconds(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}min`
  return `${(ms / 1000).toFixed(1)}s`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
