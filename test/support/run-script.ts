import type { Connection } from '../../src/db/connection.js'
import { runtimeOf } from '../../src/dialect/runtimes.js'

/**
 * Runs SQL texts statement by statement (split as the connection's dialect splits them), the way `keel migrate` runs a down.sql. A step's reverse may hold several
 * statements (the reverse of a dropped unique constraint builds its index CONCURRENTLY, then attaches it), and
 * PostgreSQL runs a multi-statement text in one implicit transaction, where CONCURRENTLY is refused.
 */
export async function runScript(conn: Connection, scripts: readonly string[]): Promise<void> {
  for (const script of scripts) {
    const statements = await runtimeOf(conn.dialect).runner.parseStatements(script, 'reverse')
    for (const statement of statements) await conn.exec(statement.sql)
  }
}
