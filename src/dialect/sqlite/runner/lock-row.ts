import { hostname } from 'node:os'
import type { Connection } from '../../../db/connection.js'
import type { RunnerLockHooks } from '../../runner.js'
import { currentProcess, type ProcessIdentity, probePid, provablyDead } from './process-identity.js'

const CREATE = `CREATE TABLE IF NOT EXISTS keel_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL, host TEXT, machine TEXT, boot TEXT, pidns TEXT, start TEXT, token TEXT)`

/** The columns that tell the holder's process apart from a later one with its pid (added to an older keel_lock). */
const IDENTITY = ['host', 'machine', 'boot', 'pidns', 'start', 'token'] as const

interface LockRow {
  readonly pid: number
  readonly holder: string
  readonly since: string
  readonly host: string | null
  readonly machine: string | null
  readonly boot: string | null
  readonly pidns: string | null
  readonly start: string | null
  readonly token: string | null
}

/** The lock each session took (its token), so that unlock deletes that row and no other runner's. */
const taken = new WeakMap<Connection, string>()

/**
 * The runner lock on SQLite: a row in `keel_lock`, inserted by the runner that takes it and deleted when
 * it is done. SQLite has no session locks, and an exclusive transaction would shut out the runner's own
 * work connection. A row is taken over only when its holder is provably dead (process-identity.ts): a process
 * of this host and pid namespace, gone, or its pid now another process's (start time), or the machine booted
 * since. A row of another host stays until its runner deletes it or a person does.
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
      await ensureTable(session)
      const self = currentProcess()
      const row = await lockRow(session)
      if (row !== undefined && !holderDead(row, self)) return false
      if (row !== undefined)
        await session.query('DELETE FROM keel_lock WHERE id = 1 AND pid = $1 AND since = $2', [row.pid, row.since])
      const inserted = await session.query<{ id: number }>(
        `INSERT INTO keel_lock (id, pid, holder, since, host, machine, boot, pidns, start, token)
         VALUES (1, $1, $2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [self.pid, holderName, self.host, self.machine, self.boot, self.pidns, self.start, self.token],
      )
      if (inserted.length === 1) taken.set(session, self.token)
      return inserted.length === 1
    })
  },
  async unlock(session) {
    const token = taken.get(session)
    if (token === undefined) return
    // Waits for a moment of the file, as any writer does: the row must go.
    await session.exec('PRAGMA busy_timeout = 5000')
    await session.query('DELETE FROM keel_lock WHERE id = 1 AND token = $1', [token])
    taken.delete(session)
  },
  async holder(session) {
    const row = await busyMeansNo(() => lockRow(session)).catch(() => undefined)
    if (row === undefined || row === false) return undefined
    const host = row.host === null || row.host === hostname() ? '' : ` on ${row.host}`
    return { pid: row.pid, applicationName: `${row.holder}${host}`, since: new Date(row.since) }
  },
  sessionId: async () => process.pid,
}

/** Creates keel_lock, or adds the identity columns to one an earlier Keel created. */
async function ensureTable(session: Connection): Promise<void> {
  const columns = await session.query<{ name: string }>(`SELECT name FROM pragma_table_info('keel_lock')`)
  if (columns.length === 0) return session.exec(CREATE)
  const have = new Set(columns.map((c) => c.name))
  for (const column of IDENTITY)
    if (!have.has(column)) await session.exec(`ALTER TABLE keel_lock ADD COLUMN ${column} TEXT`)
}

/**
 * Whether the row's holder is provably dead. A row written before rows carried the holder's host (an earlier
 * Keel, which took over a row whose pid was gone from this host) is judged as that Keel judged it.
 */
function holderDead(row: LockRow, self: ProcessIdentity): boolean {
  if (row.host === null) return !probePid(row.pid).alive
  const holder = {
    host: row.host,
    machine: row.machine ?? undefined,
    boot: row.boot ?? undefined,
    pidns: row.pidns ?? undefined,
    pid: row.pid,
    start: row.start ?? undefined,
  }
  return provablyDead(holder, self, probePid)
}

async function lockRow(session: Connection): Promise<LockRow | undefined> {
  const [row] = await session.query<LockRow>(
    'SELECT pid, holder, since, host, machine, boot, pidns, start, token FROM keel_lock WHERE id = 1',
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
