import type { Connection } from '../db/connection.js'
import type { Schema } from '../schema/model.js'
import type { IntrospectOptions } from './dialect.js'
import { loadDialect, runtimeOf } from './runtimes.js'

/**
 * The schema of the database `conn` is connected to, through its dialect's introspection: the runtime's own where it
 * has one (PostgreSQL's loads its introspection and normaliser alone, so that reading a database starts without the
 * planner and the renderers), else its full dialect's, loaded alone (not the registry, which holds every dialect).
 */
export async function introspectConnection(conn: Connection, options?: IntrospectOptions): Promise<Schema> {
  const runtime = runtimeOf(conn.dialect)
  if (runtime.introspect !== undefined) return runtime.introspect(conn, options)
  return (await loadDialect(conn.dialect)).introspect(conn, options)
}
