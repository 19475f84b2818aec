import type { Connection } from '../db/connection.js'
import { loadDriver, type OpenOptions, openDatabase } from '../db/open.js'
import { isEmbeddedUrl } from '../db/url.js'

/** The sessions a run works on: its own, and on a server the runner lock's, opened beside it (see openRunSessions). */
export interface RunSessions {
  readonly conn: Connection
  /** The lock's session, already connected; undefined where the lock opens its own (or needs none). */
  readonly lockSession: Connection | undefined
}

export interface OpenRunOptions {
  /** An open connection to work on instead of opening one (the caller keeps ownership). */
  readonly connection: Connection | undefined
  readonly runName: string
  readonly lockName: string
  readonly open: OpenOptions
  /** Work to do while the sessions connect; see SessionOptions.whileConnecting. */
  readonly whileConnecting: (() => Promise<void>) | undefined
}

/**
 * Opens a run's sessions and does `whileConnecting` meanwhile. On a server (PostgreSQL, MySQL) both sessions start
 * connecting at once and the work runs while the server starts their backends: one backend's start on the way to
 * the lock instead of two in turn, and none before the work (`keel migrate` reads its migrations directory). The
 * work's failure wins over a connection's, as it did when it ran before connecting: a directory Keel refuses is
 * refused as such, also when the server is down. An embedded database (PGlite, SQLite) is opened after the work, as
 * before: opening a PGlite directory waits for another process's runner, which must not delay the work's error.
 */
export async function openRunSessions(url: string, options: OpenRunOptions): Promise<RunSessions> {
  if (isEmbeddedUrl(url)) {
    await options.whileConnecting?.()
    const conn = options.connection ?? (await openDatabase(url, options.runName, options.open))
    return { conn, lockSession: undefined }
  }
  // The driver first (read-status.ts does the same): loaded inside openDatabase, its modules would hold the
  // connections back until the work gave the event loop enough turns.
  const own = options.connection === undefined
  if (own) await loadDriver(url)
  const opening = own ? openDatabase(url, options.runName, options.open) : Promise.resolve(options.connection)
  const lockOpening = openDatabase(url, options.lockName)
  // Settled below, or abandoned when the work fails: never an unhandled rejection meanwhile.
  opening.catch(() => {})
  lockOpening.catch(() => {})
  try {
    // A turn of the event loop first: the sockets connect and send their startup messages before the work starts.
    await new Promise((resolve) => setImmediate(resolve))
    await options.whileConnecting?.()
  } catch (error) {
    if (own) closeWhenOpen(opening)
    closeWhenOpen(lockOpening)
    throw error
  }
  const [conn, lock] = await Promise.allSettled([opening, lockOpening])
  if (conn.status === 'fulfilled' && lock.status === 'fulfilled') return { conn: conn.value, lockSession: lock.value }
  if (lock.status === 'fulfilled') await lock.value.close()
  if (conn.status === 'fulfilled' && own) await conn.value.close()
  // The work session's failure is the one to report: the one a run that opened it alone first would meet.
  throw conn.status === 'rejected' ? conn.reason : (lock as PromiseRejectedResult).reason
}

function closeWhenOpen(opening: Promise<Connection>): void {
  void opening.then(
    (conn) => conn.close(),
    () => {},
  )
}
