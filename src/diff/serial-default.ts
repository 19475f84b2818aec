import type { QualifiedName } from '../schema/model.js'

/** Quotes an identifier as the target dialect does: its one quoter (`Dialect.quoteIdent`). */
export type QuoteIdent = (name: string) => string

/**
 * How the target dialect spells a name in SQL text: its one quoter and the namespace its unqualified names live in
 * (`Dialect.quoteIdent` and `Dialect.defaultNamespace`: `public` on PostgreSQL, `main` on SQLite, none on MySQL).
 * The two come together, so that no caller gives the quoter and leaves the namespace to a guess.
 */
export interface NameSpelling {
  readonly quoteIdent: QuoteIdent
  readonly defaultNamespace: string | undefined
}

/**
 * What `diff()` spells names with when not told the target dialect (a caller of the public `diff(from, to)` without
 * options, the pure differ's own tests): a serial is PostgreSQL's sugar, so its `nextval` is spelled as PostgreSQL
 * prints it under the default search path, except that keywords stay bare (the keyword list is the dialect's, which
 * the core does not import). Every command passes its dialect (`diff(from, to, [], dialect)`), which spells it exactly.
 */
export const undeclaredSpelling: NameSpelling = {
  quoteIdent: (name) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`),
  defaultNamespace: 'public',
}

/**
 * A serial's default spelled out, `nextval('seq'::regclass)`, as the server prints it back under the default
 * search path: the sequence unqualified in the target's default namespace, each part quoted by the target's quoter.
 * Compared as text with an introspected default, so a different spelling is a spurious change.
 */
export function nextvalDefault(sequence: QualifiedName, spelling: NameSpelling): string {
  const { quoteIdent, defaultNamespace } = spelling
  const text =
    sequence.schema === undefined || sequence.schema === defaultNamespace
      ? quoteIdent(sequence.name)
      : `${quoteIdent(sequence.schema)}.${quoteIdent(sequence.name)}`
  return `nextval('${text.replaceAll("'", "''")}'::regclass)`
}
