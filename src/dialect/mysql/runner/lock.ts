import type { Connection } from '../../../db/connection.js'
import type { LockHolder, RunnerLockHooks } from '../../runner.js'

/**
 * The runner lock's name: one per database of the server (GET_LOCK names are server-wide, 64 characters
 * at most on MySQL).
 */
const NAME = "LEFT(CONCAT('keel_migrations:', DATABASE()), 64)"

/**
 * The runner lock on MySQL and MariaDB: a named lock (GET_LOCK) on the lock session, tried without waiting
 * and polled by migrate/lock.ts. It dies with its session, so a crashed runner never leaves it held.
 */
export const mysqlNamedLock: RunnerLockHooks = {
  async tryLock(session) {
    const [row] = await session.query<{ got: number | null }>(`SELECT GET_LOCK(${NAME}, 0) AS got`)
    return Number(row?.got) === 1
  },
  async unlock(session) {
    await session.query(`SELECT RELEASE_LOCK(${NAME})`)
  },
  holder: lockHolder,
  async sessionId(session) {
    const [row] = await session.query<{ id: number }>('SELECT CONNECTION_ID() AS id')
    return row === undefined ? undefined : Number(row.id)
  },
}

/**
 * The session holding the lock (IS_USED_LOCK), named from the processlist as user@host, and by its
 * program name (`keel-lock migrate host/pid`) where performance_schema keeps connection attributes.
 */
async function lockHolder(session: Connection): Promise<LockHolder | undefined> {
  const [used] = await session.query<{ id: number | null }>(`SELECT IS_USED_LOCK(${NAME}) AS id`)
  if (used?.id === null || used?.id === undefined) return undefined
  const id = Number(used.id)
  const [row] = await session.query<{ user: string; host: string; time: number }>(
    'SELECT USER AS user, HOST AS host, TIME AS time FROM information_schema.PROCESSLIST WHERE ID = $1',
    [id],
  )
  const program = await programName(session, id)
  const where = row === undefined ? '' : `${row.user}@${row.host}`
  return {
    pid: id,
    applicationName: program === undefined ? where : `${program}${where === '' ? '' : ` from ${where}`}`,
    // TIME is how long the session has been in its state: for the idle lock session, since it took the lock.
    since: row === undefined ? undefined : new Date(Date.now() - Number(row.time) * 1000),
  }
}

/** The program name a session gave when it connected, where performance_schema keeps connection attributes. */
export async function programName(session: Connection, id: number): Promise<string | undefined> {
  try {
    const [row] = await session.query<{ name: string }>(
      `SELECT ATTR_VALUE AS name FROM performance_schema.session_connect_attrs
        WHERE PROCESSLIST_ID = $1 AND ATTR_NAME = 'program_name'`,
      [id],
    )
    return row?.name
  } catch {
    // performance_schema is off, or not readable by this user: the processlist has to do.
    return undefined
  }
}
