import type { RunnerLockHooks } from '../../runner.js'

/** The two int4 keys of Keel's advisory lock: 'keel' in ASCII, and 1 for "the migration runner". */
export const RUNNER_LOCK_KEYS = [0x6b65656c, 1] as const

/**
 * The runner lock on PostgreSQL: a session-level `pg_try_advisory_lock`, which dies with its
 * connection, so a crashed runner never leaves it stuck. The holder is found in pg_locks joined with
 * pg_stat_activity (its application_name names the runner).
 */
export const advisoryLock: RunnerLockHooks = {
  async tryLock(session) {
    const [row] = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
      ...RUNNER_LOCK_KEYS,
    ])
    return row?.ok === true
  },
  async unlock(session) {
    await session.query('select pg_advisory_unlock($1, $2)', [...RUNNER_LOCK_KEYS])
  },
  async holder(session) {
    const [row] = await session.query<{ pid: number; application_name: string | null; backend_start: Date | null }>(
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
  },
  async sessionId(session) {
    const [row] = await session.query<{ pid: number }>('select pg_backend_pid() as pid')
    return row?.pid
  },
}
