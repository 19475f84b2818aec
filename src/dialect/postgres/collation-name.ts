import { quoteIdent } from './quote.js'

const plainIdentifier = /^[a-z_][a-z0-9_$]*$/

/**
 * A collation as columns, domains and index parts name it in the model: bare (`C`, `en_US.utf8`, `numeric`) for
 * one in `pg_catalog` or `public`, `schema.name` for one elsewhere. Dotted names of the first kind are libc locales
 * (`en_US.utf8`, `C.utf8`) whose parts are not plain lower-case identifiers, so a name whose two parts both are is
 * read as qualified and quoted part by part; any other is quoted whole.
 *
 * @example
 * renderCollationName('billing.posix') // billing.posix
 * renderCollationName('en_US.utf8') // "en_US.utf8"
 * renderCollationName('numeric') // "numeric"
 */
export function renderCollationName(collation: string): string {
  const parts = collation.split('.')
  if (parts.length === 2 && parts.every((part) => plainIdentifier.test(part))) {
    return `${quoteIdent(parts[0] as string)}.${quoteIdent(parts[1] as string)}`
  }
  return quoteIdent(collation)
}
