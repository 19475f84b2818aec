import type { Connection } from '../../src/db/connection.js'
import { parseSql } from '../../src/lint/sql/parse.js'

/**
 * Runs SQL texts statement by statement, the way `keel migrate` runs a down.sql. A step's reverse may hold several
 * statements (the reverse of a dropped unique constraint builds its index CONCURRENTLY, then attaches it), and
 * PostgreSQL runs a multi-statement text in one implicit transaction, where CONCURRENTLY is refused.
 */
export async function runScript(conn: Connection, scripts: readonly string[]): Promise<void> {
  for (const script of scripts) {
    for (const statement of await parseSql(script, 'reverse')) await conn.exec(statement.sql)
  }
}
