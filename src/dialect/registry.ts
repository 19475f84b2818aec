import { parseDatabaseUrl } from '../db/url.js'
import type { Dialect } from './dialect.js'
import { pgliteDialect, postgresDialect } from './postgres/index.js'

/**
 * The name of a dialect: what a Connection speaks and a Plan is written for. It lives here, beside the one
 * line per dialect below, rather than in plan/, so that db/ and the planner do not depend on each other.
 */
export type DialectName = 'postgres' | 'pglite'

/** Every dialect, one line each. */
const dialects: Record<DialectName, Dialect> = {
  postgres: postgresDialect,
  pglite: pgliteDialect,
}

export function getDialect(name: DialectName): Dialect {
  return dialects[name]
}

/** The dialect that plans for the database a URL names (throws on a URL of no known form). */
export function dialectOfUrl(url: string): Dialect {
  return getDialect(parseDatabaseUrl(url).kind)
}
