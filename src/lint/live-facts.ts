import type { Connection } from '../db/connection.js'
import { runtimeOf } from '../dialect/runtimes.js'
import type { LiveFacts } from './rule.js'

/**
 * Reads what the rules may use from a live database (server version, table sizes, column types, view columns),
 * as the connection's dialect reads them (`DialectRuntime.lintFacts`, in dialect/<name>/live-facts.ts). A dialect
 * that reads none gives no facts, and the rules then assume the worst.
 */
export async function readLiveFacts(conn: Connection): Promise<LiveFacts> {
  const read = runtimeOf(conn.dialect).lintFacts
  return read === undefined ? { tables: new Map() } : read(conn)
}
