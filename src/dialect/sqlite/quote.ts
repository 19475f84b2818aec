/**
 * Quotes an identifier for SQLite: always double-quoted, inner quotes doubled. SQLite has many
 * context-dependent keywords; always quoting is the one spelling that is right for every name.
 *
 * @example
 * quoteIdent('users') // "users"
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a string literal: quotes doubled (SQLite has no backslash escapes). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
