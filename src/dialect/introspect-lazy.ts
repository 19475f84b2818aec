import type { Connection } from '../db/connection.js'
import type { Schema } from '../schema/model.js'
import type { IntrospectOptions } from './dialect.js'
import { runtimeOf } from './runtimes.js'

/**
 * The schema of the database `conn` is connected to, through its dialect's introspection: the runtime's own where it
 * has one (PostgreSQL's loads its introspection and normaliser alone, so that reading a database starts without the
 * planner, the renderers and the other dialects that the registry holds), else the registry's full dialect.
 */
export async function introspectConnection(conn: Connection, options?: IntrospectOptions): Promise<Schema> {
  const runtime = runtimeOf(conn.dialect)
  if (runtime.introspect !== undefined) return runtime.introspect(conn, options)
  const { getDialect } = await import('./registry.js')
  return getDialect(conn.dialect).introspect(conn, options)
}
