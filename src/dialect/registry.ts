import { parseDatabaseUrl } from '../db/url.js'
import type { Dialect } from './dialect.js'
import { mysqlDialect } from './mysql/index.js'
import { mysqlRuntime } from './mysql/runtime.js'
import { pgliteDialect, postgresDialect } from './postgres/index.js'
import { pgliteRuntime, postgresRuntime } from './postgres/runtime.js'
import { adoptRuntimes, type DialectName } from './runtimes.js'
import { sqliteDialect } from './sqlite/index.js'
import { sqliteRuntime } from './sqlite/runtime.js'

export type { DialectName } from './runtimes.js'

// The full dialects above hold their runtime halves, loaded with them: registered at once (no await, so that this
// module needs no top-level await), as code handed a Dialect or a Plan may ask runtimeOf for its name.
adoptRuntimes([pgliteRuntime, postgresRuntime, mysqlRuntime, sqliteRuntime])

/** Every dialect, one line each (their light halves are in runtimes.ts). */
const dialects: Record<DialectName, Dialect> = {
  pglite: pgliteDialect,
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
}

/** The dialect of a name: planning, introspection and normalisation, with its runtime half. */
export function getDialect(name: DialectName): Dialect {
  return dialects[name]
}

/** The dialect that plans for the database a URL names (throws on a URL of no known form). */
export function dialectOfUrl(url: string): Dialect {
  return getDialect(parseDatabaseUrl(url).kind)
}
