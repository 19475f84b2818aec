import mysql from 'mysql2/promise'
import { loadRuntime, runtimeOf } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Connection } from '../connection.js'
import { redactUrl } from '../url.js'
import { inlineParameters } from './mysql-parameters.js'
import { type MysqlServer, parseServerVersion } from './mysql-server.js'
import { keelSqlMode } from './mysql-sql-mode.js'
import { runnerTag } from './mysql-tag.js'
import { nestedTransactions } from './nested-transaction.js'

export type { MysqlServer } from './mysql-server.js'

/** A Connection to MySQL or MariaDB, with what the server said of itself when the session opened. */
export interface MysqlConnection extends Connection {
  readonly dialect: 'mysql'
  readonly server: MysqlServer
  /** The session's id in the server (CONNECTION_ID(), the processlist's ID). */
  readonly sessionId: number
}

/** What mysql2 is given for a `mysql://` or `mariadb://` URL. */
export function mysqlOptions(url: string, connectTimeoutMs: number): mysql.ConnectionOptions {
  const parsed = new URL(url)
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    ...(database === '' ? {} : { database }),
    // 0 means "no limit" to Keel (as libpq's connect_timeout); mysql2 reads 0 as "time out at once".
    connectTimeout: connectTimeoutMs === 0 ? 2 ** 31 - 1 : connectTimeoutMs,
    // exec() takes a script; a migration's transactional unit travels as one text with its BEGIN.
    multipleStatements: true,
    // DATETIME and TIMESTAMP values are read and written as UTC, whatever this machine's zone.
    timezone: 'Z',
    supportBigNumbers: true,
    charset: 'utf8mb4_general_ci',
    // mysql2 asks for IGNORE_SPACE by default, which the server adds to the session's sql_mode and so to every
    // trigger and routine Keel creates (and changes how `name (` parses): Keel's sessions keep the server's mode.
    flags: ['-IGNORE_SPACE'],
  }
}

/**
 * Opens a MySQL or MariaDB session with mysql2. Errors are raw driver errors; db/open.ts classifies
 * them. `applicationName` goes into the connection attributes (performance_schema shows them) and, for
 * the runner's sessions, into a comment in front of every statement (see mysql-tag.ts).
 */
export async function connectMysql(
  url: string,
  applicationName = 'keel',
  connectTimeoutMs = 0,
): Promise<MysqlConnection> {
  // A Connection of this driver speaks MySQL: its dialect's runtime half is loaded before one exists, so that
  // runtimeOf(conn.dialect) answers wherever a connection goes (dialect/runtimes.ts; not a top-level await: see pg.ts).
  await loadRuntime('mysql')
  const raw = await mysql.createConnection({
    ...mysqlOptions(url, connectTimeoutMs),
    connectAttributes: { program_name: applicationName.slice(0, 63) },
  })
  // A dropped connection emits 'error'; without a listener Node would crash the process.
  raw.on('error', () => {})
  const description = redactUrl(url)
  const send = async (sql: string): Promise<unknown> => {
    try {
      const [rows] = await raw.query({ sql: `${runnerTag(applicationName)}${sql}` })
      return rows
    } catch (error) {
      throw serverError(error, description)
    }
  }
  // Every Keel session waits for a metadata lock a bounded time (the server's default is a day on MariaDB, a
  // year on MySQL): a catalog or journal read queued behind another session's DDL fails with 1205 instead of
  // hanging the command. The migration runner tightens it per migration (its lock budget, runner/hooks.ts).
  const [, rows] = (await send(
    `SET SESSION lock_wait_timeout = LEAST(@@SESSION.lock_wait_timeout, ${SESSION_LOCK_WAIT_S});
     SELECT VERSION() AS version, CONNECTION_ID() AS id, @@SESSION.sql_mode AS mode`,
  )) as [unknown, { version: string; id: number; mode: string }[]]
  const [about] = rows
  // Keel's SQL (and a migration's, as the runner splits it) is read with backslash escapes and backticked
  // names, whatever the server's configured sql_mode says: see mysql-sql-mode.ts.
  const mode = keelSqlMode(String(about?.mode ?? ''))
  if (mode !== undefined) await send(`SET SESSION sql_mode = '${mode}'`)
  const conn: MysqlConnection = {
    dialect: 'mysql',
    exclusive: false,
    description,
    server: parseServerVersion(String(about?.version)),
    sessionId: Number(about?.id),
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const rows = await send(params.length === 0 ? sql : inlineParameters(sql, params, (v) => literal(v, raw)))
      return (Array.isArray(rows) ? rows : []) as R[]
    },
    async exec(sql: string) {
      // MySQL answers a script of nothing but comments with "Query was empty" where PostgreSQL runs it as
      // nothing: an empty schema file is a schema with no tables, not an error.
      if (NOTHING_TO_RUN.test(sql)) return
      // `DELIMITER $$` is the mysql client's command, not the server's (dumps and sample schemas such as
      // Sakila wrap routines and triggers in it): such a script is split as the client splits it.
      if (CLIENT_DELIMITER.test(sql)) {
        for (const statement of await runtimeOf('mysql').runner.parseStatements(sql, 'script'))
          await send(statement.sql)
        return
      }
      await send(sql)
    },
    transaction: nestedTransactions(send, () => conn),
    async close() {
      await raw.end().catch(() => raw.destroy())
    },
  }
  return conn
}

/**
 * A bound value as SQL text. A string with no backslash or NUL has its quotes doubled, which every sql_mode
 * reads alike (a migration may have SET its own sql_mode before the journal's next write on this session);
 * the rest is mysql2's escaping, which assumes backslash escapes, as Keel's session mode has them.
 */
function literal(value: unknown, raw: mysql.Connection): string {
  if (typeof value === 'string' && !/[\\\0]/.test(value)) return `'${value.replaceAll("'", "''")}'`
  return raw.escape(value)
}

/** How long, in seconds, a Keel session outside a migration waits for a metadata lock at most. */
export const SESSION_LOCK_WAIT_S = 10

/** A `DELIMITER` line, as the mysql client reads it. */
const CLIENT_DELIMITER = /^[ \t]*delimiter[ \t]+\S/im

/** Whitespace, comments (not MySQL's executable `/*! ... *\/` ones) and empty statements only. */
const NOTHING_TO_RUN = /^(?:\s|;|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*(?!!)[\s\S]*?\*\/)*$/

/**
 * A server error in the shape the rest of Keel reads (as pg's): `code` is the SQLSTATE, `severity` says
 * the server reported it, and MySQL's own error number stays as `errno` (1205 lock wait timeout, 1213
 * deadlock). A lost session becomes CONNECTION_LOST naming the server.
 */
function serverError(error: unknown, description: string): unknown {
  const e = error as { code?: string; errno?: number; sqlState?: string; message?: string; fatal?: boolean }
  if (e.fatal === true || (e.sqlState === undefined && typeof e.code === 'string' && !e.code.startsWith('ER_'))) {
    return new KeelError(
      'CONNECTION_LOST',
      `lost the connection to ${description}: ${e.message ?? String(error)}`,
      undefined,
      {
        cause: error,
      },
    )
  }
  if (e.sqlState === undefined) return error
  return Object.assign(new Error(e.message ?? String(error)), {
    code: e.sqlState,
    severity: 'ERROR',
    errno: e.errno,
    mysqlCode: e.code,
  })
}
