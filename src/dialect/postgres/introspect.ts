import type { Connection } from '../../db/connection.js'
import type { Schema } from '../../schema/model.js'
import type { IntrospectOptions } from '../dialect.js'
import { readCatalog } from './introspect-read.js'

/**
 * Reads the schema of a PostgreSQL (13+) or PGlite database, normalised. A fixed handful of catalog
 * queries covers the whole database, whatever its size. System namespaces, objects that belong to
 * extensions, partitioned tables and their partitions, and the namespaces and tables that `options`
 * leave out are not reported. Domains, routines, triggers, privileges (not ownership), row-level
 * security, policies and collations are (a column of a domain type has a `native` type naming the domain).
 *
 * Expressions, types and view definitions are printed with `search_path` set to `public` for the
 * duration, so that they name objects the same way whatever the session's own setting (and with JIT
 * compilation off: see catalog-read.ts).
 * @example const schema = await introspectPostgres(conn, { excludeTables: ['keel_migrations'] })
 */
export async function introspectPostgres(conn: Connection, options: IntrospectOptions = {}): Promise<Schema> {
  // The builders and the normaliser (two thirds of introspection's modules) are not needed until the rows are in:
  // they load while the server runs the queries, instead of before the first one goes out (1,000 tables: the
  // client waits ~70 ms for the catalog, and loading them took ~10 ms of CPU).
  const building = import('./introspect-build.js')
  // A failed read leaves the import's outcome unawaited: an import that also failed is not reported twice.
  building.catch(() => {})
  const rows = await readCatalog(conn, options)
  return (await building).buildIntrospected(rows, options)
}
