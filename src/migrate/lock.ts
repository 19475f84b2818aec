import type { Connection } from '../db/connection.js'
import { openDatabase } from '../db/open.js'
import { KeelError } from '../errors.js'

/** The two int4 keys of Keel's advisory lock: 'keel' in ASCII, and 1 for "the migration runner". */
export const RUNNER_LOCK_KEYS = [0x6b65656c, 1] as const

/** Who holds the runner lock, from pg_locks and pg_stat_activity. */
export interface LockHolder {
  readonly pid: number
  readonly applicationName: string
  /** When the holder's session started: its lock session is opened just to take the lock. */
  readonly since: Date | undefined
}

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
  /** The lock session's backend pid (undefined for PGlite). */
  readonly pid: number | undefined
  release(): Promise<void>
}

/**
 * Takes the per-database runner lock: `pg_try_advisory_lock`, polled with backoff on a dedicated
 * session. Never a blocking `pg_advisory_lock`: a runner blocked in it sits in a transaction that a
 * concurrent `CREATE INDEX CONCURRENTLY` of the running migration would wait for, which deadlocks.
 * The lock is a session lock: it dies with its connection, so a crashed runner never leaves it stuck.
 *
 * An exclusive connection (PGlite: one process's single session) needs no lock: nothing else can reach it.
 */
export async function acquireRunnerLock(url: string, conn: Connection, options: LockOptions): Promise<RunnerLock> {
  if (conn.exclusive) return { pid: undefined, release: async () => {} }
  const session = await openDatabase(url, options.applicationName)
  try {
    await pollForLock(session, options)
    const [row] = await session.query<{ pid: number }>('select pg_backend_pid() as pid')
    return {
      pid: row?.pid,
      async release() {
        await session.query('select pg_advisory_unlock($1, $2)', [...RUNNER_LOCK_KEYS]).catch(() => {})
        await session.close()
      },
    }
  } catch (error) {
    await session.close()
    throw error
  }
}

async function pollForLock(session: Connection, options: LockOptions): Promise<void> {
  const started = Date.now()
  const minDelay = options.minDelayMs ?? 25
  const maxDelay = options.maxDelayMs ?? 1000
  let delay = minDelay
  let lastReport = Number.NEGATIVE_INFINITY
  for (;;) {
    const [row] = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
      ...RUNNER_LOCK_KEYS,
    ])
    if (row?.ok === true) return
    const waited = Date.now() - started
    if (waited >= options.timeoutMs) {
      const holder = await lockHolder(session)
      throw new KeelError(
        'LOCK_TIMEOUT',
        `gave up after ${formatMs(waited)} waiting for the migration lock on ${session.description}` +
          (holder === undefined ? '' : `; it is held by ${describeHolder(holder)}`),
      )
    }
    if (options.onWait !== undefined && Date.now() - lastReport >= 5000) {
      lastReport = Date.now()
      options.onWait(await lockHolder(session), waited)
    }
    // Exponential backoff with jitter, so that many waiting runners do not poll in step.
    await sleep(Math.min(delay, options.timeoutMs - waited) * (0.8 + Math.random() * 0.4))
    delay = Math.min(maxDelay, delay * 1.6)
  }
}

/** The session holding the runner lock in the current database, if any. */
export async function lockHolder(conn: Connection): Promise<LockHolder | undefined> {
  const [row] = await conn.query<{ pid: number; application_name: string | null; backend_start: Date | null }>(
    `select a.pid, a.application_name, a.backend_start
       from pg_catalog.pg_locks l join pg_catalog.pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objid = $2 and l.objsubid = 2
        and l.database = (select oid from pg_catalog.pg_database where datname = current_database())`,
    [...RUNNER_LOCK_KEYS],
  )
  if (row === undefined) return undefined
  return {
    pid: Number(row.pid),
    applicationName: row.application_name ?? '',
    since: row.backend_start === null ? undefined : new Date(row.backend_start),
  }
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
