import type { Connection } from '../../../db/connection.js'
import type { DialectName } from '../../../dialect/runtimes.js'
import { loadRuntime } from '../../../dialect/runtimes.js'
import { KeelError } from '../../../errors.js'

/** One query knex sent, with its bindings written in as knex's `toString()` writes them. */
export interface KnexQuery {
  readonly sql: string
  /** A statement that only reads (SELECT, SHOW, the dialect's own): knex asking the database (hasTable, a table rebuild). */
  readonly read: boolean
  /** BEGIN, COMMIT, SAVEPOINT...: the transaction around a migration, which Keel's runner provides itself. */
  readonly transactionControl: boolean
}

/** The parts of a knex dialect client that Keel overrides or calls, typed structurally (knex is the user's). */
interface KnexClient {
  readonly config: Record<string, unknown>
  query(connection: unknown, query: string | KnexQueryObject): Promise<unknown>
  _escapeBinding(value: unknown, options: Record<string, unknown>): string
}

export interface KnexQueryObject {
  sql: string
  bindings?: readonly unknown[]
  response?: unknown
  context?: unknown
}

export type KnexClientClass = new (config: Record<string, unknown>) => KnexClient

/**
 * How a knex dialect client names itself and the response it expects from its driver, per Keel dialect:
 * knex's own `processResponse` (which answers hasTable, returning(), the SQLite table rebuild) reads these.
 */
export interface KnexDialect {
  readonly client: string
  /** Every name of a knex client that writes this dialect's SQL (knex's aliases, and its other drivers). */
  readonly clients: readonly string[]
  /** The server version knex checks features against; it would ask its driver at connect. */
  readonly version: (conn: Connection) => Promise<string | undefined>
  respond(obj: KnexQueryObject, rows: readonly unknown[]): void
  /** Statements of this dialect beyond SELECT, SHOW, EXPLAIN and DESCRIBE that only read (a catalog statement). */
  readonly reads?: RegExp
  /**
   * Reads of this dialect's own catalog (its system tables and statements), beyond information_schema: a
   * converted migration's read of them found what the scratch database holds, and is no read of rows to warn about.
   */
  readonly catalogReads?: RegExp
  /** Statements written around a migration holding knex's table rebuild (copy, drop, rename), if any. */
  readonly aroundRebuild?: { readonly before: string; readonly after: string }
}

/**
 * The server's version as `select version()` prints it (`PostgreSQL 15.4 ...`, `10.11.6-MariaDB`), for the
 * `version` of a {@link KnexDialect} whose server has that function.
 */
export async function selectVersion(conn: Connection): Promise<string | undefined> {
  const [row] = await conn.query<{ v: unknown }>('select version() as v')
  return /(\d+(\.\d+)*)/.exec(String(row?.v ?? ''))?.[1]
}

/**
 * The knex client of a dialect (`DialectRuntime.knex`, in dialect/<name>/knex-dialect.ts), with the response shape
 * of the driver knex pairs with it; UNSUPPORTED for a dialect that has none.
 */
export async function knexDialectOf(name: DialectName): Promise<KnexDialect> {
  const knex = (await loadRuntime(name)).knex
  if (knex === undefined)
    throw new KeelError('UNSUPPORTED', `knex migrations cannot be converted for ${name} databases yet`)
  return knex.load()
}

/**
 * A subclass of the user's knex dialect client whose "driver" is a Keel connection to a scratch database:
 * every query knex sends runs there (so hasTable and SQLite's table rebuild see the real state) and is
 * written to `log` with its bindings inlined, which is the exact SQL knex would have run.
 */
export function recordingClient(
  Base: KnexClientClass,
  conn: Connection,
  dialect: KnexDialect,
  log: KnexQuery[],
): KnexClientClass {
  // knex names SQLite's rebuild table `_knex_temp_alter` and three random digits. Each rebuild (its CREATE TABLE)
  // is numbered in order within a run (a run starts with an emptied log), so that the same migrations convert to
  // the same SQL every time, even when two random names collide.
  const tempNames = new Map<string, string>()
  let runLength = 0
  let rebuilds = 0
  const stable = (sql: string) => {
    if (log.length < runLength) {
      tempNames.clear()
      rebuilds = 0
    }
    runLength = log.length
    const created = /^\s*create\s+table\s+[`"[]?(_knex_temp_alter\d+)/i.exec(sql)?.[1]
    if (created !== undefined) tempNames.set(created, `_knex_temp_alter${rebuilds++}`)
    return sql.replace(/_knex_temp_alter\d+/g, (name) => tempNames.get(name) ?? name)
  }

  return class RecordingClient extends Base {
    _driver(): unknown {
      return {}
    }

    async acquireRawConnection(): Promise<unknown> {
      return { keel: conn.description }
    }

    async destroyRawConnection(): Promise<void> {}

    validateConnection(): boolean {
      return true
    }

    override query(connection: unknown, query: string | KnexQueryObject): Promise<unknown> {
      const obj = typeof query === 'string' ? { sql: query } : query
      const sql = stable(inlineBindings(obj.sql, obj.bindings ?? [], (value) => this._escapeBinding(value, {})))
      log.push({ sql, read: isRead(sql, dialect), transactionControl: isTransactionControl(sql) })
      // What runs on the scratch database is exactly what is written to up.sql: the bindings inlined.
      return super.query(connection, { ...obj, sql, bindings: [] })
    }

    /** Nothing left to number: the bindings are inlined (a `?` in a string literal must stay one). */
    positionBindings(sql: string): string {
      return sql
    }

    async _query(_connection: unknown, obj: KnexQueryObject): Promise<KnexQueryObject> {
      dialect.respond(obj, await conn.query(obj.sql))
      return obj
    }
  }
}

/** knex's own `formatQuery`: each `?` takes the next binding, escaped; `\?` is a literal question mark. */
function inlineBindings(sql: string, bindings: readonly unknown[], quote: (value: unknown) => string): string {
  let index = 0
  return sql.replace(/\\?\?/g, (match) => {
    if (match === '\\?') return '?'
    if (index === bindings.length) return match
    return quote(bindings[index++])
  })
}

function isRead(sql: string, dialect: KnexDialect): boolean {
  return /^\s*(select|show|explain|describe)\b/i.test(sql) || dialect.reads?.test(sql) === true
}

function isTransactionControl(sql: string): boolean {
  return /^\s*(begin|commit|rollback|savepoint|release|start\s+transaction)\b/i.test(sql)
}
