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
 * Quotes a string literal: quotes doubled and backslashes doubled, since a backslash escapes in a MySQL string
 * unless the session runs with NO_BACKSLASH_ESCAPES (the default sql_mode does not).
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}
