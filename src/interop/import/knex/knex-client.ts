import type { Connection } from '../../../db/connection.js'
import type { DialectName } from '../../../dialect/registry.js'

/** One query knex sent, with its bindings written in as knex's `toString()` writes them. */
export interface KnexQuery {
  readonly sql: string
  /** SELECT, SHOW, a PRAGMA that only reads: knex asking the database (hasTable, SQLite's table rebuild). */
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

interface KnexQueryObject {
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
  /** Statements written around a migration holding knex's table rebuild (copy, drop, rename), if any. */
  readonly aroundRebuild?: { readonly before: string; readonly after: string }
}

const serverVersion = async (conn: Connection) =>
  /(\d+(\.\d+)*)/.exec(String((await conn.query<{ v: unknown }>('select version() as v'))[0]?.v ?? ''))?.[1]

const pgDialect: KnexDialect = {
  client: 'pg',
  clients: ['pg', 'postgres', 'postgresql', 'pgnative', 'pg-native'],
  version: serverVersion,
  respond(obj, rows) {
    // node-postgres's result: knex reads `command` to tell a SELECT's rows from an UPDATE's count.
    const command = /^\s*(\w+)/.exec(obj.sql)?.[1]?.toUpperCase() ?? ''
    obj.response = { rows, rowCount: rows.length, command }
  },
}

/** The knex client for each Keel dialect, with the response shape of the driver knex pairs with it. */
export const knexDialects: Readonly<Record<DialectName, KnexDialect>> = {
  postgres: pgDialect,
  pglite: pgDialect,
  sqlite: {
    client: 'better-sqlite3',
    clients: ['better-sqlite3', 'sqlite3', 'sqlite'],
    version: async () => undefined,
    respond(obj, rows) {
      // better-sqlite3's: the rows of a reader, and the lastID/changes of a writer.
      obj.response = rows
      obj.context = { lastID: undefined, changes: 0 }
    },
    // knex turns foreign keys off around its rebuild when it runs outside a transaction (and leaves them
    // as the connection has them inside one); Keel's connections enforce them, and with them on, the DROP
    // TABLE of the rebuild deletes every row first, cascading to the referencing tables. Keel's runner runs
    // these two PRAGMAs outside the migration's transaction, as its own SQLite rebuilds do.
    aroundRebuild: { before: 'PRAGMA foreign_keys = OFF', after: 'PRAGMA foreign_keys = ON' },
  },
  mysql: {
    client: 'mysql2',
    clients: ['mysql2', 'mysql', 'mariadb', 'mariasql'],
    version: serverVersion,
    respond(obj, rows) {
      // mysql2's callback arguments (rows, fields), which knex keeps as a pair.
      obj.response = [rows, []]
    },
  },
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
      log.push({ sql, read: isRead(sql), transactionControl: isTransactionControl(sql) })
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

function isRead(sql: string): boolean {
  return /^\s*(select|show|explain|describe)\b/i.test(sql) || /^\s*pragma\s+[^=]*$/i.test(sql)
}

function isTransactionControl(sql: string): boolean {
  return /^\s*(begin|commit|rollback|savepoint|release|start\s+transaction)\b/i.test(sql)
}
