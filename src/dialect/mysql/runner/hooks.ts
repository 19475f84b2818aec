import { RUNNER_TAG_PATTERN } from '../../../db/drivers/mysql-tag.js'
import type { RunnerHooks } from '../../runner.js'
import { mysqlJournal } from './journal-sql.js'
import { mysqlNamedLock } from './lock.js'
import { mysqlSessionReplay } from './session-replay.js'
import { splitMysql } from './split-statements.js'

/** A Keel duration (`5s`, `500ms`, `2min`, `1h`) in seconds, as MySQL's timeouts take them. */
export function seconds(duration: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?$/i.exec(duration.trim())
  const n = Number(m?.[1] ?? 0)
  const unit = (m?.[2] ?? 'ms').toLowerCase()
  const factor = { ms: 0.001, s: 1, min: 60, h: 3600, d: 86400 }[unit] ?? 0.001
  return n * factor
}

/** 1205 lock wait timeout (InnoDB row locks), 1213 deadlock; 3572 (MySQL: NOWAIT); metadata lock waits are 1205 too. */
const RETRYABLE = new Set([1205, 1213])

/**
 * What a statement creates exists already: 1050 table or view, 1060 column, 1061 index, 1826 foreign key (or,
 * on MySQL, another constraint) name, 1304 procedure or function, 1359 trigger, 1007 database.
 */
const ALREADY_EXISTS = new Set([1050, 1060, 1061, 1826, 1304, 1359, 1007])

const errno = (error: unknown): number => Number((error as { errno?: unknown } | undefined)?.errno)

/**
 * The migration runner's MySQL and MariaDB half. DDL commits implicitly there, so every DDL statement
 * runs alone (split-statements.ts marks it) and its progress is journaled right after it; DML shares a
 * transaction with its journal progress.
 */
export const mysqlRunner: RunnerHooks = {
  lock: mysqlNamedLock,
  journal: mysqlJournal,
  /**
   * MariaDB has no application_name: the runner's sessions put a comment naming themselves in front of
   * every statement (db/drivers/mysql.ts), which the processlist shows while the statement runs.
   */
  async orphanSessions(conn, prefix) {
    const rows = await conn.query<{ id: number; state: string | null; info: string }>(
      `SELECT ID AS id, STATE AS state, LEFT(INFO, 300) AS info FROM information_schema.PROCESSLIST
        WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND COMMAND <> 'Sleep' AND INFO LIKE $1`,
      [prefix === 'keel-run' ? RUNNER_TAG_PATTERN : `/* ${prefix} %`],
    )
    return rows.map((r) => {
      const tag = /^\/\* (.*?) \*\/\s*/.exec(r.info)
      return {
        pid: Number(r.id),
        applicationName: tag?.[1] ?? '',
        state: r.state || 'running',
        query: r.info.slice(tag?.[0].length ?? 0, 200),
      }
    })
  },
  endOrphanHint: (orphan) =>
    `That runner is gone but its statement still runs. Wait for it, or end it with KILL ${orphan.pid} (a DDL statement may roll back slowly).`,
  parseStatements: async (text) => splitMysql(text),
  sessionReplay: mysqlSessionReplay,
  isTransactionControl: (s) =>
    /^(BEGIN(?!\s+NOT\s+ATOMIC\b)|START\s+TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|XA\s|SET\s+(SESSION\s+|@@SESSION\.|@@)?autocommit\b)/i.test(
      s.sql,
    ),
  /**
   * lock_wait_timeout bounds waits for metadata locks (what DDL waits for), innodb_lock_wait_timeout for
   * row locks, both in whole seconds (at least 1). The statement timeout is max_statement_time on MariaDB
   * (seconds, every statement) and max_execution_time on MySQL (milliseconds, SELECT only); each is in an
   * executable comment that only its own server reads (`/*M!` MariaDB, `/*!80000` MySQL 8, which MariaDB
   * skips), because the setup is the same text whichever server the session reaches.
   */
  sessionSetup(lockTimeout, statementTimeout) {
    // 0 is "no limit" to Keel (as to PostgreSQL); MySQL's largest value is a year.
    const lock = seconds(lockTimeout) === 0 ? 31_536_000 : Math.max(1, Math.ceil(seconds(lockTimeout)))
    const statement = seconds(statementTimeout)
    return `SET SESSION lock_wait_timeout = ${lock}, innodb_lock_wait_timeout = ${lock} /*M!100100 , max_statement_time = ${statement} */ /*!80000 , max_execution_time = ${Math.round(statement * 1000)} */`
  },
  isRetryable: (error) => RETRYABLE.has(errno(error)),
  // Each try waits at most this for a metadata or row lock, so a writer queued behind a waiting ALTER is held up
  // at most that long per try; then the try gives way and is retried (migrate/lock-retry.ts) up to the lock
  // deadline. One second is the shortest wait MySQL takes (MariaDB's 0 is NOWAIT, which any reader defeats).
  defaultLockTimeout: '1s',
  async lockBlockers(conn, statement, _code, error) {
    if (!RETRYABLE.has(errno(error))) return []
    const { mysqlLockBlockers } = await import('./lock-blockers.js')
    return mysqlLockBlockers(conn, statement.sql)
  },
  alreadyExists: (error) => ALREADY_EXISTS.has(errno(error)),
  // MySQL refuses nothing in a transaction block: what cannot be in one commits it instead.
  isRefusedInTransaction: () => false,
  /**
   * A server error (db/drivers/mysql.ts gives it a severity and the SQLSTATE; a lost session is CONNECTION_LOST
   * instead) that is not a connection exception (class 08): the session lives on.
   */
  isStatementError(error) {
    const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown }
    return (
      typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08')
    )
  },
  async statementEffect(conn, sql) {
    const { mysqlStatementEffect } = await import('./statement-effect.js')
    return mysqlStatementEffect(conn, sql)
  },
  async wipe(conn) {
    const { wipeMysql } = await import('./wipe.js')
    return wipeMysql(conn)
  },
}
