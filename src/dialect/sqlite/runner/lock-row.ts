import type { Connection } from '../../../db/connection.js'
import type { RunnerLockHooks } from '../../runner.js'

const CREATE = `CREATE TABLE IF NOT EXISTS keel_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL)`

/**
 * The runner lock on SQLite: a row in `keel_lock`, inserted by the runner that takes it and deleted when
 * it is done. SQLite has no session locks, and an exclusive transaction would shut out the runner's own
 * work connection. A row left by a runner that died (its pid is gone from this host) is taken over.
 *
 * SQLite has one writer at a time, and the runner holding the lock writes for as long as a migration's
 * transaction lasts: a try that had to write (or wait for the file) would wait for that whole migration,
 * past `--lock-wait` and without naming the holder. So a try first only reads, answers "held" when a live
 * runner's row is there, and gives up at once (busy) rather than waiting for the file: migrate/lock.ts polls.
 */
export const sqliteLockRow: RunnerLockHooks = {
  async tryLock(session, holderName) {
    return busyMeansNo(async () => {
      await session.exec('PRAGMA busy_timeout = 0')
      const [table] = await session.query(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'keel_lock'`)
      if (table === undefined) await session.exec(CREATE)
      const row = await lockRow(session)
      if (row !== undefined && alive(row.pid)) return false
      if (row !== undefined) await session.query('DELETE FROM keel_lock WHERE id = 1 AND pid = $1', [row.pid])
      const inserted = await session.query<{ id: number }>(
        `INSERT INTO keel_lock (id, pid, holder, since) VALUES (1, $1, $2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [process.pid, holderName],
      )
      return inserted.length === 1
    })
  },
  async unlock(session) {
    // Waits for a moment of the file, as any writer does: the row must go.
    await session.exec('PRAGMA busy_timeout = 5000')
    await session.query('DELETE FROM keel_lock WHERE id = 1 AND pid = $1', [process.pid])
  },
  async holder(session) {
    const row = await busyMeansNo(() => lockRow(session)).catch(() => undefined)
    return row === undefined || row === false
      ? undefined
      : { pid: row.pid, applicationName: row.holder, since: new Date(row.since) }
  },
  sessionId: async () => process.pid,
}

async function lockRow(session: Connection): Promise<{ pid: number; holder: string; since: string } | undefined> {
  const [row] = await session.query<{ pid: number; holder: string; since: string }>(
    'SELECT pid, holder, since FROM keel_lock WHERE id = 1',
  )
  return row === undefined ? undefined : { ...row, pid: Number(row.pid) }
}

/** Runs `fn`; a file busy with another connection's write (SQLITE_BUSY, SQLITE_LOCKED) is `false`: try again later. */
async function busyMeansNo<T>(fn: () => Promise<T>): Promise<T | false> {
  try {
    return await fn()
  } catch (error) {
    const code = String((error as { code?: unknown }).code)
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return false
    throw error
  }
}

/** Whether a process of this host is alive (a SQLite file is used by processes of one host). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}
