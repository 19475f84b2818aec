import type { Connection } from '../../../db/connection.js'
import type { LockBlocker } from '../../runner.js'
import { programName } from './lock.js'

/**
 * The sessions that hold locks on the tables a statement names, asked right after it gave up waiting (1205,
 * lock_wait_timeout or innodb_lock_wait_timeout) or deadlocked (1213): usually a transaction left open, and
 * still there.
 *
 * MySQL 8 lists metadata locks in performance_schema.metadata_locks; MariaDB in
 * information_schema.METADATA_LOCK_INFO when the metadata_lock_info plugin is loaded (or in performance_schema
 * when it is on with the `wait/lock/metadata/sql/mdl` instrument, both off by default). Where neither is there
 * (a stock MariaDB), the sessions with an open transaction, or running a statement that names one of the
 * tables, are named instead, each marked as one that may hold the lock.
 * https://mariadb.com/kb/en/metadata-lock-info-plugin/ https://dev.mysql.com/doc/refman/8.0/en/performance-schema-metadata-locks-table.html
 */
export async function mysqlLockBlockers(conn: Connection, sql: string): Promise<readonly LockBlocker[]> {
  try {
    const tables = await tablesNamed(conn, sql)
    const exact = (await fromPlugin(conn, tables)) ?? (await fromPerformanceSchema(conn, tables))
    const ids = exact ?? (await suspects(conn, tables))
    return await describeSessions(conn, ids, exact === undefined)
  } catch {
    // The server would not say (privileges, a view missing): the error keeps its own message.
    return []
  }
}

/** Tables of the session's database whose names the statement mentions (FK parents and rename targets too). */
async function tablesNamed(conn: Connection, sql: string): Promise<readonly string[]> {
  const words = new Set<string>()
  for (const m of sql.matchAll(/`((?:[^`]|``)+)`|([A-Za-z_$][A-Za-z0-9_$]*)/g)) {
    words.add(m[1] === undefined ? (m[2] as string) : m[1].replaceAll('``', '`'))
    if (words.size >= 500) break
  }
  if (words.size === 0) return []
  const rows = await conn.query<{ name: string }>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${[...words].map((_, i) => `$${i + 1}`).join(', ')})`,
    [...words],
  )
  return rows.map((r) => r.name)
}

const inList = (tables: readonly unknown[], offset = 0): string => tables.map((_, i) => `$${i + 1 + offset}`).join(', ')

/** MariaDB's metadata_lock_info plugin; undefined when it is not loaded. */
async function fromPlugin(conn: Connection, tables: readonly string[]): Promise<readonly number[] | undefined> {
  const rows = await conn
    .query<{ id: number }>(
      `SELECT DISTINCT THREAD_ID AS id FROM information_schema.METADATA_LOCK_INFO
        WHERE THREAD_ID <> CONNECTION_ID() AND TABLE_SCHEMA = DATABASE()
          ${tables.length === 0 ? '' : `AND TABLE_NAME IN (${inList(tables)})`}`,
      tables,
    )
    .catch(() => undefined)
  return rows?.map((r) => Number(r.id))
}

/** performance_schema.metadata_locks, when the server keeps it (MySQL 8 by default); undefined otherwise. */
async function fromPerformanceSchema(
  conn: Connection,
  tables: readonly string[],
): Promise<readonly number[] | undefined> {
  const [on] = await conn
    .query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM performance_schema.setup_instruments
        WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES' AND @@performance_schema = 1`,
    )
    .catch(() => [])
  if (Number(on?.n ?? 0) === 0) return undefined
  const rows = await conn.query<{ id: number }>(
    `SELECT DISTINCT t.PROCESSLIST_ID AS id FROM performance_schema.metadata_locks m
       JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
      WHERE m.LOCK_STATUS = 'GRANTED' AND m.OBJECT_TYPE = 'TABLE' AND m.OBJECT_SCHEMA = DATABASE()
        AND t.PROCESSLIST_ID <> CONNECTION_ID()
        ${tables.length === 0 ? '' : `AND m.OBJECT_NAME IN (${inList(tables)})`}`,
    tables,
  )
  return rows.map((r) => Number(r.id))
}

/**
 * Without a list of metadata locks: the other sessions with an open InnoDB transaction (a transaction keeps
 * the metadata locks of every table it touched until it ends), and those running a statement that names
 * one of the tables.
 */
async function suspects(conn: Connection, tables: readonly string[]): Promise<readonly number[]> {
  const naming = tables.map((_, i) => `p.INFO LIKE CONCAT('%', $${i + 1}, '%')`).join(' OR ')
  const rows = await conn.query<{ id: number }>(
    `SELECT p.ID AS id FROM information_schema.PROCESSLIST p
      WHERE p.ID <> CONNECTION_ID()
        AND (p.ID IN (SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX)
             ${naming === '' ? '' : `OR (p.COMMAND <> 'Sleep' AND (${naming}))`})`,
    tables,
  )
  return rows.map((r) => Number(r.id))
}

/** Each session as the processlist shows it, oldest transaction first. */
async function describeSessions(
  conn: Connection,
  ids: readonly number[],
  suspected: boolean,
): Promise<readonly LockBlocker[]> {
  if (ids.length === 0) return []
  const rows = await conn.query<{
    id: number
    user: string
    host: string
    command: string
    state: string | null
    info: string | null
    trx_s: number | null
  }>(
    `SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, p.STATE AS state,
            LEFT(p.INFO, 300) AS info, TIMESTAMPDIFF(SECOND, x.trx_started, NOW()) AS trx_s
       FROM information_schema.PROCESSLIST p
       LEFT JOIN information_schema.INNODB_TRX x ON x.trx_mysql_thread_id = p.ID
      WHERE p.ID IN (${inList(ids)})
      ORDER BY x.trx_started IS NULL, x.trx_started, p.ID`,
    ids,
  )
  const blockers: LockBlocker[] = []
  for (const r of rows) {
    const program = await programName(conn, Number(r.id))
    const where = `${r.user}@${r.host}`
    const tag = /^\/\* (.*?) \*\/\s*/.exec(r.info ?? '')
    const inTransaction = r.trx_s !== null
    const state =
      r.command === 'Sleep' ? (inTransaction ? 'idle in transaction' : 'idle') : r.state || r.command.toLowerCase()
    blockers.push({
      pid: Number(r.id),
      applicationName: tag?.[1] ?? (program === undefined ? where : `${program} from ${where}`),
      state: suspected ? `${state}, possibly the holder (the server lists no metadata locks)` : state,
      transactionSeconds: inTransaction ? Number(r.trx_s) : undefined,
      query: r.info === null ? '(no statement running)' : r.info.slice(tag?.[0].length ?? 0, 200),
    })
  }
  return blockers
}
