import type { RunnerLockHooks } from '../../runner.js'

/**
 * The runner lock on SQLite: a row in `keel_lock`, inserted by the runner that takes it and deleted when
 * it is done. SQLite has no session locks, and an exclusive transaction would shut out the runner's own
 * work connection. A row left by a runner that died (its pid is gone from this host) is taken over.
 */
export const sqliteLockRow: RunnerLockHooks = {
  async tryLock(session, holderName) {
    await session.exec(
      'CREATE TABLE IF NOT EXISTS keel_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL)',
    )
    const [row] = await session.query<{ pid: number }>('SELECT pid FROM keel_lock WHERE id = 1')
    if (row !== undefined && !alive(Number(row.pid)))
      await session.query('DELETE FROM keel_lock WHERE id = 1 AND pid = $1', [row.pid])
    const inserted = await session.query<{ id: number }>(
      `INSERT INTO keel_lock (id, pid, holder, since) VALUES (1, $1, $2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [process.pid, holderName],
    )
    return inserted.length === 1
  },
  async unlock(session) {
    await session.query('DELETE FROM keel_lock WHERE id = 1 AND pid = $1', [process.pid])
  },
  async holder(session) {
    const [row] = await session.query<{ pid: number; holder: string; since: string }>(
      'SELECT pid, holder, since FROM keel_lock WHERE id = 1',
    )
    return row === undefined
      ? undefined
      : { pid: Number(row.pid), applicationName: row.holder, since: new Date(row.since) }
  },
  sessionId: async () => process.pid,
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
