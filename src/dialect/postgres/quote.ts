import type { QualifiedName } from '../../schema/model.js'
import { postgresKeywords } from './keywords.js'

/** A name PostgreSQL reads back unchanged without quotes: lower case, no special characters. */
const plainIdentifier = /^[a-z_][a-z0-9_$]*$/

/**
 * Quotes an identifier for PostgreSQL, only where needed: a plain lower-case name that is not a
 * keyword stays bare (`users`), anything else is double-quoted with inner quotes doubled
 * (`"User"`, `"order"`, `"a""b"`). Bare names keep generated SQL readable; the keyword list keeps it
 * correct.
 *
 * @example
 * quoteIdent('users') // users
 * quoteIdent('order') // "order"
 * quoteIdent('createdAt') // "createdAt"
 */
export function quoteIdent(name: string): string {
  if (plainIdentifier.test(name) && !postgresKeywords.has(name)) return name
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Quotes a string literal. Quotes are doubled; a value with backslashes is written as an escape
 * string (`E'a\\b'`) so that it means the same whatever `standard_conforming_strings` says, as
 * PostgreSQL's own `quote_literal` does.
 *
 * @example
 * quoteLiteral("it's") // 'it''s'
 * quoteLiteral('C:\\dir') // E'C:\\dir'
 */
export function quoteLiteral(value: string): string {
  const quoted = value.replaceAll("'", "''")
  if (!value.includes('\\')) return `'${quoted}'`
  return `E'${quoted.replaceAll('\\', '\\\\')}'`
}

/**
 * Dollar-quotes `body` (a DO block's or a function's) under a tag that does not occur in it: a fixed `$keel$` ended
 * the quote early when a name or a predicate in the body held it, and the statement broke.
 *
 * @example
 * dollarQuote('BEGIN NULL; END') // $keel$BEGIN NULL; END$keel$
 * dollarQuote("SELECT '$keel$'") // $keel1$SELECT '$keel$'$keel1$
 */
export function dollarQuote(body: string): string {
  let tag = '$keel$'
  // The first tag in body + tag must be the closing one: not in the body, nor begun by its end (a body ending in
  // `$keel` closed at its own last characters).
  for (let i = 1; `${body}${tag}`.indexOf(tag) !== body.length; i++) tag = `$keel${i}$`
  return `${tag}${body}${tag}`
}

/**
 * Quotes a schema-qualified name (`public.users`, `"Sales"."Order"`); a name without a schema is
 * left for the search path to resolve.
 */
export function quoteQualified(name: QualifiedName): string {
  return name.schema === undefined ? quoteIdent(name.name) : `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`
}

/** Quotes a column of a table for `COMMENT ON COLUMN` and `OWNED BY`: `public.users.email`. */
export function quoteColumnRef(table: QualifiedName, column: string): string {
  return `${quoteQualified(table)}.${quoteIdent(column)}`
}

/** Quotes a list of identifiers, comma-separated: `(a, "B")` without the parentheses. */
export function quoteIdentList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ')
}
