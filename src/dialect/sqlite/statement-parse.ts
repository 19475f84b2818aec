import { createRequire } from 'node:module'
import type { DialectParse } from '../../lint/sql/parse-dialect.js'

const require = createRequire(import.meta.url)

let sqliteDb: { prepare(sql: string): unknown } | undefined

/**
 * A SQLite statement through SQLite's own parser (sqlite3_prepare on an empty in-memory database, through
 * better-sqlite3, Keel's SQLite driver): a syntax error is `invalid`, at the token SQLite names. Preparing also
 * resolves names, which fail on the empty database ("no such table"); those are not syntax errors, and the
 * statement is taken as parsed (the migration's run judges them).
 */
export function parseSqliteStatement(sql: string): DialectParse {
  if (sqliteDb === undefined) {
    const Database = require('better-sqlite3') as new (file: string) => { prepare(sql: string): unknown }
    sqliteDb = new Database(':memory:')
  }
  const db = sqliteDb
  try {
    db.prepare(sql)
    return { kind: 'parsed' }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!/syntax error|incomplete input|unrecognized token/.test(message)) return { kind: 'parsed' }
    const near = /near "([^"]*)"|unrecognized token: "([^"]*)"/.exec(message)
    const token = near?.[1] ?? near?.[2]
    const at = token === undefined || token === '' ? -1 : tokenAt(db, sql, token, message)
    return { kind: 'invalid', message, offset: at === -1 ? (/incomplete/.test(message) ? sql.length : 0) : at }
  }
}

/**
 * Where SQLite stopped: the occurrence of the token it names whose prefix of the statement gives the same error
 * (SQLite does not say the offset through better-sqlite3; a prefix ending before the bad token is incomplete).
 */
function tokenAt(db: { prepare(sql: string): unknown }, sql: string, token: string, message: string): number {
  for (let at = sql.indexOf(token); at !== -1; at = sql.indexOf(token, at + 1)) {
    try {
      db.prepare(sql.slice(0, at + token.length))
    } catch (error) {
      if (error instanceof Error && error.message === message) return at
    }
  }
  return -1
}
