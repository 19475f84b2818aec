import type { QualifiedName } from '../schema/model.js'

/** Quotes an identifier as the target dialect does: its one quoter (`Dialect.quoteIdent`). */
export type QuoteIdent = (name: string) => string

/**
 * What `diff()` knows of the target's spelling when not told it: a name is quoted only when it is not plain lower
 * case. It leaves keywords bare, which the server does not (`"user".s`), so every caller that knows its dialect
 * passes the dialect's quoter (`DiffOptions.quoteIdent`); this stays for `diff()`'s callers from before the option.
 */
export const plainQuoteIdent: QuoteIdent = (name) =>
  /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`

/**
 * A serial's default spelled out, `nextval('seq'::regclass)`, as the server prints it back under the default
 * search path: the sequence unqualified in `public`, each part quoted by the target's quoter. Compared as text
 * with an introspected default, so a different spelling is a spurious change.
 */
export function nextvalDefault(sequence: QualifiedName, quoteIdent: QuoteIdent): string {
  const text =
    sequence.schema === undefined || sequence.schema === 'public'
      ? quoteIdent(sequence.name)
      : `${quoteIdent(sequence.schema)}.${quoteIdent(sequence.name)}`
  return `nextval('${text.replaceAll("'", "''")}'::regclass)`
}
