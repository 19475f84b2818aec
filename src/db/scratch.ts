import type { ScratchDatabase } from '../dialect/dialect.js'
import { loadRuntime } from '../dialect/runtimes.js'
import { parseDatabaseUrl } from './url.js'

export type { ScratchDatabase } from '../dialect/dialect.js'

/** Where a scratch database is made when no database is near: an in-memory PGlite, the zero-setup default. */
export const DEFAULT_SCRATCH_URL = 'pglite:memory'

/**
 * Creates a scratch database beside the database `near` names, as its dialect makes them (a
 * temporary database on the same PostgreSQL server, an in-memory PGlite beside PGlite); without
 * `near`, an in-memory PGlite, the zero-setup default.
 */
export async function createScratchDatabase(near?: string, prefix = 'keel_scratch'): Promise<ScratchDatabase> {
  const url = near ?? DEFAULT_SCRATCH_URL
  // A dialect names its own refusals (PostgreSQL: a role without CREATEDB is SCRATCH_DATABASE, not a bare 42501).
  return (await loadRuntime(parseDatabaseUrl(url).kind)).createScratch(url, prefix)
}
