import type { Connection } from '../db/connection.js'
import type { DialectRuntime } from '../dialect/dialect.js'
import { runtimeOf } from '../dialect/runtimes.js'
import type { LiveFacts } from './rule.js'

/**
 * Reads what the rules may use from a live database (server version, table sizes, column types, view columns),
 * as the connection's dialect reads them (`DialectRuntime.lintFacts`, in dialect/<name>/live-facts.ts). A dialect
 * that reads none gives no facts, and the rules then assume the worst.
 */
export async function readLiveFacts(conn: Connection): Promise<LiveFacts> {
  return liveFactsOf(runtimeOf(conn.dialect), conn)
}

/**
 * The facts a dialect reads, or none at all. Not `{ tables: new Map() }`: a table map is a list of every table
 * the database has, so an empty one would say that each table a migration touches does not exist yet, and the
 * rules would judge it new and empty when Keel cannot know its size (an unknown table is assumed large).
 */
export async function liveFactsOf(runtime: Pick<DialectRuntime, 'lintFacts'>, conn: Connection): Promise<LiveFacts> {
  return runtime.lintFacts === undefined ? {} : runtime.lintFacts(conn)
}
