import type { Dialect } from '../dialect.js'
import { introspectPostgres } from './introspect.js'
import { normalizePostgres } from './normalize.js'
import { postgresPhaseSql } from './phase-sql.js'
import { planPostgres } from './plan.js'
import { quoteIdent, quoteLiteral } from './quote.js'

/** PostgreSQL capabilities: transactional DDL, concurrent index builds, NOT VALID constraints. */
const capabilities = {
  transactionalDdl: true,
  concurrentIndex: true,
  notValidConstraints: true,
  // PostgreSQL 11+ adds a column with a constant default without rewriting the table.
  instantAddColumn: true,
  alterColumn: 'alter',
  schemas: true,
} as const

/** The PostgreSQL dialect (servers 13+). */
export const postgresDialect: Dialect = {
  name: 'postgres',
  capabilities,
  defaultNamespace: 'public',
  quoteIdent,
  quoteLiteral,
  normalize: normalizePostgres,
  plan: planPostgres,
  introspect: introspectPostgres,
  phaseSql: postgresPhaseSql,
}

/** PGlite is PostgreSQL (18) in WebAssembly: the same catalogs, planner and SQL. */
export const pgliteDialect: Dialect = { ...postgresDialect, name: 'pglite' }
