import { parseDatabaseUrl } from '../db/url.js'
import type { DialectName } from '../plan/step.js'
import type { Dialect } from './dialect.js'
import { pgliteDialect, postgresDialect } from './postgres/index.js'

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
