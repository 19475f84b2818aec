/**
 * The objects a step is about and those it names, with their schemas, for step-ties.ts: `public.shared_idx` and
 * `other.shared_idx` are two indexes, and two steps about one each are not tied by the name they share. Compared
 * without their schemas, the concurrent drop of public.shared_idx was tied to the drop and the return of
 * other.shared_idx on both sides of an enum's recreation, and keel diff refused a plan that can run: error[SPLIT_RUN].
 *
 * How a name in SQL resolves:
 * - `s.n` (quoted or not) is n in schema s; in `s.n.m`, every pair. Keel's SQL and the server's printed expressions
 *   never use attribute notation (`t.f` for `f(t)`): the part after a dot is the qualifier's, or a column or field.
 * - A name alone resolves by a search path this module does not know: which schemas it holds is the dialect's (the
 *   core names none, test/seam/dialect-footprint.test.ts), and a statement may name an object of a schema it names
 *   elsewhere without its schema (`ADD CONSTRAINT c ... USING INDEX i`, `RENAME TO j`). So a name alone is taken in
 *   every schema. The plan's SQL qualifies every name it writes itself (quoteQualified), so the steps that name a
 *   schema keep the precision; an unqualified name can only tie more, never less.
 * - The one exception, exactly: the name `CREATE INDEX name ON s.t` makes is in s (PostgreSQL: "the index is always
 *   created in the same schema as its parent table"), whatever the search path.
 * - A name that is no relation, as the dialect's parser tells (step-ties-qualifiers.ts): a column's qualifier naming
 *   a range entry (`zz` of `SELECT zz.d FROM other.zz`) and a table's alias where it is declared. Left out: it named
 *   public.zz too, and a view over other.zz joined the run of an enum recreation converting public.zz.d.
 * Where the model holds no schema (a namespace's or an extension's own name, an object not normalised), the name
 * matches in every schema. A false match only keeps two steps in their order; a missed one could misorder them.
 */
import type { Change } from '../diff/change.js'
import { readSourcesOf, withoutLiterals } from './change-reads.js'
import { nonRelationsAt } from './step-ties-qualifiers.js'

/** An object's name, lower-cased, in its schema, or (schema undefined) in any. */
export interface ObjectRef {
  readonly schema: string | undefined
  readonly name: string
}

/** The names a step or text mentions: each in the schemas it may resolve to. */
export class NameRefs {
  private readonly keys = new Set<string>()
  private readonly names = new Set<string>()

  add(ref: ObjectRef): void {
    this.names.add(ref.name)
    this.keys.add(keyOf(ref))
  }

  addAll(refs: NameRefs): void {
    for (const key of refs.keys) this.keys.add(key)
    for (const name of refs.names) this.names.add(name)
  }

  /** Whether `object` may be among the names: one of its schema, or of any schema, or (no schema) any of its name. */
  mentions(object: ObjectRef): boolean {
    if (object.schema === undefined) return this.names.has(object.name)
    return this.keys.has(keyOf(object)) || this.keys.has(keyOf({ schema: undefined, name: object.name }))
  }
}

const keyOf = (ref: ObjectRef) => `${ref.schema ?? '*'}\u0000${ref.name}`

// PostgreSQL's scanner takes every byte from 0x80 as a letter of an identifier (scan.l ident_start, ident_cont): `café`.
const IDENT = `(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)`
/** A name and its qualifiers; not one that follows a dot (a field of a parenthesised value) or a digit. */
const CHAIN = new RegExp(String.raw`(?<![A-Za-z0-9_$."\u0080-\uffff])${IDENT}(?:\s*\.\s*${IDENT})*`, 'g')
const PART = new RegExp(IDENT, 'g')
/** The name a CREATE INDEX makes, and the schema of the table it is on (group 2 of 3: schema and table). */
const INDEX_NAME = new RegExp(
  String.raw`\bINDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})\s+ON\s+(?:ONLY\s+)?(${IDENT})\s*\.\s*${IDENT}`,
  'gid',
)

const unquote = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part).toLowerCase()

/** The names `sql` (a statement, or an expression as the server prints it) mentions, each where it may resolve. */
export function refsOfSql(sql: string): NameRefs {
  const text = withoutLiterals(sql)
  const refs = new NameRefs()
  // Where a CREATE INDEX's name starts: that name is in its table's schema.
  const pinned = new Map<number, string>()
  for (const match of text.matchAll(INDEX_NAME)) {
    const at = match.indices?.[1]?.[0]
    if (at !== undefined) pinned.set(at, unquote(match[2] ?? ''))
  }
  const chains = [...text.matchAll(CHAIN)].map((m) => ({
    at: m.index,
    parts: [...m[0].matchAll(PART)].map((p) => unquote(p[0])),
  }))
  // A column's qualifier or a table's alias, which the parser tells from a relation: its name alone is none.
  const nonRelations = nonRelationsAt(sql)
  for (const { at, parts } of chains) {
    const [first = ''] = parts
    const schema = pinned.get(at)
    if (!nonRelations.has(at)) refs.add({ schema: parts.length === 1 ? schema : undefined, name: first })
    for (let i = 1; i < parts.length; i++) refs.add({ schema: parts[i - 1], name: parts[i] ?? '' })
  }
  return refs
}

/**
 * What a change's object reads by the model (change-reads.ts readSourcesOf: the objects it names, and the names of its
 * expressions and definitions), each where it may resolve.
 */
export function refsOfReads(change: Change): NameRefs {
  const refs = new NameRefs()
  const { objects, texts } = readSourcesOf(change)
  for (const o of objects) refs.add({ schema: o.schema?.toLowerCase(), name: o.name.toLowerCase() })
  for (const text of texts) refs.addAll(refsOfSql(text))
  return refs
}

/**
 * The names of the objects a change is about (see step-ties.ts namesOf), each in its schema where the model says;
 * `withoutTable`: its table's own name left out (see step-ties.ts ownNamesOf), the schema it gives the others kept.
 */
export function objectsOf(change: Change, withoutTable = false): ObjectRef[] {
  const objects: ObjectRef[] = []
  // An index's, a constraint's, a policy's name: in the schema of its table (a trigger's or a rule's, in the object).
  const scope = tableSchema((change as { table?: unknown }).table)
  const add = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return
    const { name, table } = value as { name?: unknown; table?: unknown }
    if (typeof name === 'object' && name !== null) add(name)
    if (typeof name !== 'string') return
    // A qualified name is its own object's; another object with a string name is its table's.
    const own = isQualifiedName(value) ? (value as { schema?: string }).schema : (tableSchema(table) ?? scope)
    objects.push({ schema: own?.toLowerCase(), name: name.toLowerCase() })
  }
  // An altered column's from and to are the column (its name is not an object's).
  const skip = [...(change.kind === 'alterColumn' ? ['kind', 'from', 'to'] : ['kind', 'column'])]
  if (withoutTable) skip.push('table')
  for (const [key, value] of Object.entries(change)) if (!skip.includes(key)) add(value)
  return objects
}

/** Whether `value` is a QualifiedName: a name and at most a schema. */
function isQualifiedName(value: object): boolean {
  return Object.keys(value).every((k) => k === 'name' || k === 'schema')
}

/** The schema of a table's QualifiedName, or undefined when it is not one or has none. */
function tableSchema(table: unknown): string | undefined {
  if (typeof table !== 'object' || table === null || !isQualifiedName(table)) return undefined
  const { schema } = table as { schema?: unknown }
  return typeof schema === 'string' ? schema : undefined
}
