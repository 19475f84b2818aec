import type { Dialect } from '../dialect.js'
import { introspectPostgres } from './introspect.js'
import { normalizePostgres } from './normalize.js'
import { postgresPhaseSql } from './phase-sql.js'
import { planPostgres } from './plan.js'
import { pgliteRuntime, postgresRuntime } from './runtime.js'
import { postgresTableHierarchy } from './table-hierarchy.js'

const planning = {
  normalize: normalizePostgres,
  plan: planPostgres,
  introspect: introspectPostgres,
  phaseSql: postgresPhaseSql,
  tableHierarchy: postgresTableHierarchy,
}

/** The PostgreSQL dialect (servers 13+). */
export const postgresDialect: Dialect = { ...postgresRuntime, ...planning }

/** PGlite is PostgreSQL (18) in WebAssembly: the same catalogs, planner and SQL. */
export const pgliteDialect: Dialect = { ...pgliteRuntime, ...planning }
