/**
 * Quotes an identifier for MySQL and MariaDB: always backticked, inner backticks doubled. Backticks work
 * whatever the sql_mode (double quotes name identifiers only under ANSI_QUOTES).
 *
 * @example
 * quoteIdent('order') // `order`
 */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

/**
 * Quotes a string literal: quotes doubled and backslashes doubled, since a backslash escapes in a MySQL string.
 * Keel's own sessions always read it so: they turn NO_BACKSLASH_ESCAPES (and ANSI_QUOTES) off when the server's
 * sql_mode has them on (db/drivers/mysql-sql-mode.ts). A generated file run by another client under
 * NO_BACKSLASH_ESCAPES would store a literal backslash twice.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}
