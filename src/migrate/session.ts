import { hostname } from 'node:os'
import type { Connection } from '../db/connection.js'
import type { OrphanSession } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { acquireRunnerLock, closeSession, formatMs, type LockHolder, type RunnerLock, sleep } from './lock.js'
import { openRunSessions } from './session-open.js'

export type { OrphanSession } from '../dialect/runner.js'

/** application_name prefix of the sessions that change a database under the runner lock. */
export const RUN_SESSION_PREFIX = 'keel-run'

export interface SessionOptions {
  /** The command, for application_name (`keel-run migrate host/pid`). */
  readonly command: string
  readonly lockWaitMs: number
  readonly onLockWait?: (holder: LockHolder | undefined, waitedMs: number) => void
  /** Called while waiting for a session of an earlier, dead runner to end. */
  readonly onOrphanWait?: (orphan: OrphanSession) => void
  /** An open connection to work on instead of opening one (the caller keeps ownership). */
  readonly connection?: Connection
  /**
   * The process ends after this (`keel migrate`): once the lock is released, the sessions opened here are closed
   * without waiting for the server to end them (closeSession in lock.ts).
   */
  readonly lastUse?: boolean
  /**
   * Work to do while the sessions connect, before the lock is taken (`keel migrate` reads its migrations directory,
   * giving the event loop turns): see session-open.ts. Its failure is the run's error, whatever the connections do.
   */
  readonly whileConnecting?: () => Promise<void>
}

/**
 * Opens the work connection, takes the runner lock, and waits for sessions of earlier runners that
 * died mid-statement (their server backends finish the statement before noticing the client is gone,
 * still holding its locks). Then runs `fn` and releases everything. `fn` also gets the lock's session (idle
 * while it runs; none on an exclusive connection), on which it may read the server's progress views.
 */
export async function withRunnerSession<T>(
  url: string,
  options: SessionOptions,
  fn: (conn: Connection, monitor: Connection | undefined) => Promise<T>,
): Promise<T> {
  const tag = `${options.command} ${hostname().slice(0, 30)}/${process.pid}`
  const lockName = `keel-lock ${tag}`.slice(0, 63)
  // On PGlite, opening the directory is the lock: it waits for another process's runner like the advisory lock does.
  const { conn, lockSession } = await openRunSessions(url, {
    connection: options.connection,
    runName: `${RUN_SESSION_PREFIX} ${tag}`.slice(0, 63),
    lockName,
    open: {
      lockWaitMs: options.lockWaitMs,
      ...(options.onLockWait ? { onLockWait: options.onLockWait } : {}),
    },
    whileConnecting: options.whileConnecting,
  })
  let lock: RunnerLock | undefined
  try {
    lock = await acquireRunnerLock(
      url,
      conn,
      {
        timeoutMs: options.lockWaitMs,
        applicationName: lockName,
        ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
      },
      lockSession,
    )
    if (!conn.exclusive) await waitForOrphans(conn, options)
    return await fn(conn, lock.session)
  } finally {
    const wait = options.lastUse !== true
    await lock?.release({ wait })
    if (options.connection === undefined) await closeSession(conn, { wait })
  }
}

async function waitForOrphans(conn: Connection, options: SessionOptions): Promise<void> {
  const started = Date.now()
  let reported = new Set<number>()
  const runner = runtimeOf(conn.dialect).runner
  for (;;) {
    const [orphan] = await runner.orphanSessions(conn, RUN_SESSION_PREFIX)
    if (orphan === undefined) return
    if (Date.now() - started >= options.lockWaitMs) {
      throw new KeelError(
        'LOCK_TIMEOUT',
        `gave up after ${formatMs(Date.now() - started)} waiting for session ${orphan.pid} ("${orphan.applicationName}") of an earlier runner, still ${orphan.state}: ${orphan.query}`,
        runner.endOrphanHint(orphan),
      )
    }
    if (!reported.has(orphan.pid)) {
      reported = new Set([...reported, orphan.pid])
      options.onOrphanWait?.(orphan)
    }
    await sleep(100)
  }
}
