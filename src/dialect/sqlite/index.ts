import type { Dialect } from '../dialect.js'
import { introspectSqlite } from './introspect.js'
import { normalizeSqlite } from './normalize.js'
import { planSqlite } from './plan.js'
import { sqliteRuntime } from './runtime.js'

/** The SQLite dialect (better-sqlite3, SQLite 3.35+ for DROP COLUMN and RETURNING). */
export const sqliteDialect: Dialect = {
  ...sqliteRuntime,
  normalize: normalizeSqlite,
  plan: planSqlite,
  introspect: introspectSqlite,
}
