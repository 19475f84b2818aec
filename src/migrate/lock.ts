import type { Connection } from '../db/connection.js'
import { openDatabase } from '../db/open.js'
import type { LockHolder } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'

export type { LockHolder } from '../dialect/runner.js'

export interface LockOptions {
  /** How long to wait for the lock before giving up with LOCK_TIMEOUT. */
  readonly timeoutMs: number
  /** application_name of the lock session, shown to runners that wait for us. */
  readonly applicationName: string
  /** Called while waiting (first after the first failed try, then about every 5 seconds). */
  readonly onWait?: (holder: LockHolder | undefined, waitedMs: number) => void
  /** Polling interval bounds (tests shorten them). */
  readonly minDelayMs?: number
  readonly maxDelayMs?: number
}

/** A held runner lock. */
export interface RunnerLock {
  /** The lock session itself: idle while the lock is held, so the runner may read progress views on it. */
  readonly session?: Connection
  /** Unlocks, then closes the lock's session; `wait: false` does not wait for the server to end it (session.ts). */
  release(options?: { readonly wait?: boolean }): Promise<void>
}

/**
 * Takes the per-database runner lock, as the dialect makes it (RunnerLockHooks), polled with backoff
 * on a dedicated session. Never a blocking wait: on PostgreSQL a runner blocked in the lock sits in a
 * transaction that a concurrent `CREATE INDEX CONCURRENTLY` of the running migration would wait for,
 * which deadlocks. The lock dies with its session, so a crashed runner never leaves it stuck.
 *
 * An exclusive connection (PGlite: one process's single session) needs no lock: nothing else can reach it.
 * `opened`: the lock's session, opened beside `conn` (session-open.ts), which the lock then owns.
 */
export async function acquireRunnerLock(
  url: string,
  conn: Connection,
  options: LockOptions,
  opened?: Connection,
): Promise<RunnerLock> {
  if (conn.exclusive) {
    await opened?.close()
    return { release: async () => {} }
  }
  const hooks = runtimeOf(conn.dialect).runner.lock
  const session = opened ?? (await openDatabase(url, options.applicationName))
  try {
    await pollForLock(session, options)
    return {
      session,
      async release(options) {
        await hooks.unlock(session).catch(() => {})
        await closeSession(session, options)
      },
    }
  } catch (error) {
    await session.close()
    throw error
  }
}

/**
 * Closes a session the runner opened; `wait: false` (the process ends after the run: `keel migrate`) does not wait
 * for the server to end it. node-postgres's `end()` waits for the socket to close, after the backend has exited: a
 * few ms per session, tens on a busy machine, at the very end of a run, for nothing a process about to exit needs.
 * Everything the run did is committed or rolled back by then, and the runner lock released by its own statement
 * (the dialect's unlock): a next runner finds neither the lock nor (the session idle, then gone) an orphan to wait for.
 */
export async function closeSession(
  session: Connection,
  { wait = true }: { readonly wait?: boolean } = {},
): Promise<void> {
  if (!wait && session.closeWithoutWaiting !== undefined) session.closeWithoutWaiting()
  else await session.close()
}

async function pollForLock(session: Connection, options: LockOptions): Promise<void> {
  const hooks = runtimeOf(session.dialect).runner.lock
  const started = Date.now()
  const minDelay = options.minDelayMs ?? 25
  const maxDelay = options.maxDelayMs ?? 1000
  let delay = minDelay
  let lastReport = Number.NEGATIVE_INFINITY
  for (;;) {
    if (await hooks.tryLock(session, options.applicationName)) return
    const waited = Date.now() - started
    if (waited >= options.timeoutMs) {
      const holder = await hooks.holder(session)
      throw new KeelError(
        'LOCK_TIMEOUT',
        `gave up after ${formatMs(waited)} waiting for the migration lock on ${session.description}` +
          (holder === undefined ? '' : `; it is held by ${describeHolder(holder)}`),
      )
    }
    if (options.onWait !== undefined && Date.now() - lastReport >= 5000) {
      lastReport = Date.now()
      options.onWait(await hooks.holder(session), waited)
    }
    // Exponential backoff with jitter, so that many waiting runners do not poll in step.
    await sleep(Math.min(delay, options.timeoutMs - waited) * (0.8 + Math.random() * 0.4))
    delay = Math.min(maxDelay, delay * 1.6)
  }
}

/** The session holding the runner lock in the current database, if any. */
export async function lockHolder(conn: Connection): Promise<LockHolder | undefined> {
  return runtimeOf(conn.dialect).runner.lock.holder(conn)
}

export function describeHolder(holder: LockHolder): string {
  const name = holder.applicationName === '' ? 'a session' : `"${holder.applicationName}"`
  const since = holder.since === undefined ? '' : ` since ${holder.since.toISOString()}`
  return `${name} (pid ${holder.pid})${since}`
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
