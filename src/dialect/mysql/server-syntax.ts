import type { Connection } from '../../db/connection.js'
import type { ServerSyntax } from '../../lint/sql/parse-dialect.js'

/**
 * The MySQL/MariaDB server as the judge of a statement its grammar in node-sql-parser refuses: `PREPARE` parses
 * a statement without running it, and ER_PARSE_ERROR (1064) or ER_SYNTAX_ERROR (1149) means that the server itself
 * refuses it. Any other error (a missing table, a statement PREPARE does not support) is no syntax error.
 */
export function mysqlServerSyntax(conn: Pick<Connection, 'exec'>): ServerSyntax {
  return async (sql) => {
    // A string literal as MySQL reads it with Keel's session settings (NO_BACKSLASH_ESCAPES off; db/drivers/mysql).
    const literal = `'${sql.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
    try {
      await conn.exec(`PREPARE keel_lint_syntax FROM ${literal}`)
    } catch (error) {
      const errno = (error as { errno?: number }).errno
      if (errno !== 1064 && errno !== 1149) return undefined
      const message = error instanceof Error ? error.message : String(error)
      return { message, line: Number(/at line (\d+)\s*$/.exec(message)?.[1] ?? 1) }
    }
    await conn.exec('DEALLOCATE PREPARE keel_lint_syntax')
    return undefined
  }
}
