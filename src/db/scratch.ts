import type { ScratchDatabase } from '../dialect/dialect.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { parseDatabaseUrl, redactUrl } from './url.js'

export type { ScratchDatabase } from '../dialect/dialect.js'

/**
 * Creates a scratch database beside the database `near` names, as its dialect makes them (a
 * temporary database on the same PostgreSQL server, an in-memory PGlite beside PGlite); without
 * `near`, an in-memory PGlite, the zero-setup default.
 */
export async function createScratchDatabase(near?: string, prefix = 'keel_scratch'): Promise<ScratchDatabase> {
  const url = near ?? 'pglite:memory'
  try {
    return await runtimeOf(parseDatabaseUrl(url).kind).createScratch(url, prefix)
  } catch (error) {
    if (!isPermissionDenied(error)) throw error
    // A role without CREATEDB (usual for application roles): name the setting that avoids it, not a bare 42501.
    throw new KeelError(
      'SCRATCH_DATABASE',
      `cannot create a temporary database on ${redactUrl(url)} to compare schemas there: ${redactUrl((error as Error).message)} (the role lacks CREATEDB)`,
      undefined,
      { cause: error },
    )
  }
}

/** SQLSTATE 42501 insufficient_privilege, from the driver or carried by a KeelError's cause. */
function isPermissionDenied(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '42501') return true
  }
  return false
}
