import type { Connection } from '../db/connection.js'
import { parseDatabaseUrl } from '../db/url.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { assertMigratableFromEmpty, type MigrateResult, migrate, type RunnerOptions, sessionOptions } from './runner.js'
import { withRunnerSession } from './session.js'

export interface ResetOptions extends RunnerOptions {
  /** Called once the migrations are known to be applicable, just before everything is dropped. */
  readonly onDrop?: () => void
}

/**
 * Drops every object of the database (the journal included), then applies every migration again. A
 * directory that `migrate` would refuse is refused before anything is dropped. The CLI refuses to do this to a database on
 * another host unless told twice.
 */
export async function reset(
  options: ResetOptions,
): Promise<{ readonly dropped: readonly string[]; readonly migrate: MigrateResult }> {
  // A migrations directory that cannot be applied would leave the database empty: refuse it first.
  await assertMigratableFromEmpty(options.migrationsDir, parseDatabaseUrl(options.url).kind)
  options.onDrop?.()
  const dropped = await withRunnerSession(options.url, sessionOptions(options, 'reset'), (conn) => dropEverything(conn))
  const result = await migrate(options)
  return { dropped, migrate: result }
}

/** Drops every object of the database as its dialect does it (PostgreSQL: every non-system namespace, `public` recreated as it was). */
export function dropEverything(conn: Connection): Promise<readonly string[]> {
  return runtimeOf(conn.dialect).runner.wipe(conn)
}
