import type { DialectRuntime } from './dialect.js'
import { mysqlRuntime } from './mysql/runtime.js'
import { pgliteRuntime, postgresRuntime } from './postgres/runtime.js'
import { sqliteRuntime } from './sqlite/runtime.js'

/** The name of a dialect: what a Connection speaks and a Plan is written for. */
export type DialectName = 'postgres' | 'pglite' | 'sqlite' | 'mysql'

/**
 * The light half of every dialect, one line each (the full dialects are in registry.ts). Kept apart
 * so that the runner reaches quoting, journal and lock without loading the planner.
 */
const runtimes: Record<DialectName, DialectRuntime> = {
  // The embedded one first: `keel init` offers the dialects in this order, and the first is its default.
  pglite: pgliteRuntime,
  postgres: postgresRuntime,
  mysql: mysqlRuntime,
  sqlite: sqliteRuntime,
}

/**
 * The dialect whose SQL lint reads when told of none, and whose parse tree (libpg_query's, lint/sql/tree.ts) the
 * rules read on every dialect: the others borrow it through its `lintSql.borrowTree`.
 */
export const lintTreeDialect: DialectName = 'postgres'

/** Every dialect's name, in the order above. */
export function dialectNames(): readonly DialectName[] {
  return Object.keys(runtimes) as DialectName[]
}

/** The runtime half of a dialect: quoting, capabilities, scratch databases (and the runner's hooks). */
export function runtimeOf(name: DialectName): DialectRuntime {
  return runtimes[name]
}

/**
 * Whether any dialect's runner says so of an error. For questions asked of a driver error without its
 * connection at hand (is it retryable?): each driver's codes are its own (a SQLSTATE, `SQLITE_BUSY`), so
 * no dialect ever claims another's error.
 */
export function anyRunner(question: (runner: DialectRuntime['runner']) => boolean): boolean {
  return Object.values(runtimes).some((runtime) => question(runtime.runner))
}
