import type { Connection } from '../db/connection.js'
import type { Schema } from '../schema/model.js'
import type { IntrospectOptions } from './dialect.js'

/**
 * The schema of the database `conn` is connected to, through its dialect's introspection. PostgreSQL's loads its
 * introspection and normaliser alone: reading a database (keel inspect, every URL source) then starts without the
 * planner, the renderers and the other dialects that the registry holds. Any other dialect goes through the registry.
 */
export async function introspectConnection(conn: Connection, options?: IntrospectOptions): Promise<Schema> {
  if (conn.dialect === 'postgres' || conn.dialect === 'pglite') {
    const { introspectPostgres } = await import('./postgres/introspect.js')
    return introspectPostgres(conn, options)
  }
  const { getDialect } = await import('./registry.js')
  return getDialect(conn.dialect).introspect(conn, options)
}
