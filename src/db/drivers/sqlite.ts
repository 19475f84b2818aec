import Database from 'better-sqlite3'
import type { Connection } from '../connection.js'
import { nestedTransactions } from './nested-transaction.js'

/**
 * Opens a SQLite database file (created when missing) or `:memory:` with better-sqlite3. The SQLite runtime half
 * must be loaded first (sqlite-url.ts does), so that runtimeOf(conn.dialect) answers wherever a connection goes. Foreign keys
 * are enforced, as applications run them; a table rebuild turns them off outside its transaction.
 * Waits up to 5 s for another process's write lock (SQLITE_BUSY after that).
 */
export function connectSqlite(path: string): Connection {
  const db = new Database(path, { timeout: 5000 })
  db.pragma('foreign_keys = ON')
  const run = async (sql: string) => {
    db.exec(sql)
  }
  const conn: Connection = {
    dialect: 'sqlite',
    // An in-memory database is this connection alone; a file may be opened by other processes.
    exclusive: path === ':memory:',
    description: `sqlite:${path}`,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const statement = db.prepare(numberedParameters(sql))
      // Numbered parameters (?1) bind by number, through an object: `$1` may occur more than once.
      const values = params.length === 0 ? [] : [Object.fromEntries(params.map((v, i) => [i + 1, bindable(v)]))]
      if (statement.reader) return statement.all(...values) as R[]
      statement.run(...values)
      return []
    },
    exec: run,
    transaction: nestedTransactions(run, () => conn),
    async close() {
      if (db.open) db.close()
    },
  }
  return conn
}

/**
 * Keel writes bind parameters as PostgreSQL does (`$1`); SQLite reads `$1` as a *named* parameter, so
 * they become `?1` (numbered). Quoted strings, identifiers and comments are left alone.
 */
export function numberedParameters(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$(\d+)/g, (match, n) =>
    n === undefined ? match : `?${n}`,
  )
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans and dates are stored as SQLite does. */
function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  if (value === undefined) return null
  return value
}
