/**
 * Where a query's text writes a name that is no relation, though it stands alone: a column's qualifier (`zz` of
 * `zz.d`), which names a range entry of the query, and a table's alias where it is declared (`z` of `FROM other.zz
 * z`). step-ties-names.ts takes a name alone in every schema; a view over `other.zz` joined to another table prints
 * `SELECT zz.d ... FROM (other.zz JOIN ...)`, and its bare `zz` was public.zz too: the view read a converted column
 * public.zz.d, joined an enum recreation's run, and a concurrent step named like a qualifier was tied to the run on
 * both sides (error[SPLIT_RUN] for a plan that runs).
 *
 * Read by the dialect's parser (libpg_query for PostgreSQL, registered with {@link readQueriesWith} once loaded):
 * words cannot tell an alias from a relation. Conservative wherever it cannot tell: no parser, a text that parses
 * neither as a statement nor as an expression, a qualifier the query declares no range entry by (a trigger's NEW), a
 * qualifier of more than one part (`s.t.c` names the relation s.t), an alias declared where the tree holds no
 * position (a subquery's): every such name counts as it did. In a query PostgreSQL accepts, a column's one-part
 * qualifier names a range entry (or a column of one), never a relation the query does not also name in its FROM, whose
 * own words stay.
 */

/** A parser of SQL into libpg_query's JSON tree, synchronous; throws when the text does not parse. */
export type QueryParser = (sql: string) => unknown

let parser: QueryParser | undefined

/**
 * Reads queries with `parse` from now on (the PostgreSQL dialect's, once loaded: sql-references.ts); undefined: with
 * none. Returns the one read with before, for a test to put back (unit test files share their worker's modules).
 */
export function readQueriesWith(parse: QueryParser | undefined): QueryParser | undefined {
  const before = parser
  parser = parse
  return before
}

/**
 * What a text needs to hold range entries worth parsing for: a FROM (a query's, or a subquery's in an expression).
 * Most of a plan's texts have none (an ALTER TABLE, a default, a check): parsing one cost about 17 µs, four times what
 * reading its words costs. Left unparsed, a text with a range entry of its own and no FROM (`UPDATE t SET a = t.b`)
 * keeps every name.
 */
const RANGE_TABLE = /\bfrom\b/i

/** Wrapped around a text that is an expression (a check, a policy's USING), which does not parse as a statement. */
const EXPRESSION_PREFIX = 'SELECT '

/**
 * The character offsets in `sql` where a name starts that is no relation (see the module's comment): a one-part
 * qualifier of a column naming a range entry, or a table's alias where it is declared. Empty when it cannot tell.
 */
export function nonRelationsAt(sql: string): ReadonlySet<number> {
  if (parser === undefined || !RANGE_TABLE.test(sql)) return new Set()
  const tree = parseEither(parser, sql)
  if (tree === undefined) return new Set()
  const offsets = new CharOffsets(tree.text)
  const at = (location: unknown) => {
    const char = typeof location === 'number' && location >= 0 ? offsets.charAt(location) : -1
    return char < tree.prefix ? undefined : char - tree.prefix
  }
  const entries = new Set<string>()
  const qualifiers: { readonly name: string; readonly at: number | undefined }[] = []
  const aliases: { readonly name: string; readonly relationAt: number | undefined }[] = []
  visit(tree.tree, (node) => {
    const alias = aliasOf(node.alias)
    if (alias !== undefined) entries.add(alias)
    const cte = node.CommonTableExpr as { ctename?: unknown } | undefined
    if (typeof cte?.ctename === 'string') entries.add(cte.ctename)
    const range = node.RangeVar as { relname?: unknown; alias?: unknown; location?: unknown } | undefined
    if (range !== undefined) {
      const declared = aliasOf(range.alias)
      if (declared === undefined && typeof range.relname === 'string') entries.add(range.relname)
      // A location of 0 is left out of the JSON: a relation first in the text is no statement's.
      if (declared !== undefined) aliases.push({ name: declared, relationAt: at(range.location ?? 0) })
    }
    const column = node.ColumnRef as { fields?: unknown; location?: unknown } | undefined
    const fields = Array.isArray(column?.fields) ? column.fields : []
    const first = (fields[0] as { String?: { sval?: unknown } } | undefined)?.String?.sval
    if (fields.length === 2 && typeof first === 'string') qualifiers.push({ name: first, at: at(column?.location) })
  })
  const found = new Set<number>()
  for (const q of qualifiers) if (q.at !== undefined && entries.has(q.name)) found.add(q.at)
  for (const a of aliases) {
    const declared = a.relationAt === undefined ? undefined : aliasAfter(sql, a.relationAt, a.name)
    if (declared !== undefined) found.add(declared)
  }
  return found
}

/** The tree of `sql` parsed as a statement, or else as an expression (its offsets then past the prefix). */
function parseEither(
  parse: QueryParser,
  sql: string,
): { readonly tree: unknown; readonly text: string; readonly prefix: number } | undefined {
  for (const prefix of ['', EXPRESSION_PREFIX]) {
    const text = prefix + sql
    try {
      return { tree: parse(text), text, prefix: prefix.length }
    } catch {
      // Not this way: the next, or none.
    }
  }
  return undefined
}

/** The name an `alias` node declares, or undefined. */
function aliasOf(alias: unknown): string | undefined {
  const name = (alias as { aliasname?: unknown } | undefined)?.aliasname
  return typeof name === 'string' ? name : undefined
}

// PostgreSQL's scanner takes every byte from 0x80 as a letter of an identifier (as step-ties-names.ts reads names).
const NAME = /"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y
const RELATION =
  /(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*))*/y
const BLANKS = /\s*/y

/**
 * Where the alias `name` of the relation written at `relationAt` is declared: the name after the relation's (and an
 * AS), when it is that alias; undefined when the text there is anything else (a comment between, say).
 */
function aliasAfter(sql: string, relationAt: number, name: string): number | undefined {
  let i = matchAt(RELATION, sql, relationAt)
  if (i === undefined) return undefined
  i = matchAt(BLANKS, sql, i) ?? i
  const as = /as\b/iy
  as.lastIndex = i
  if (as.test(sql)) i = matchAt(BLANKS, sql, as.lastIndex) ?? as.lastIndex
  NAME.lastIndex = i
  const word = NAME.exec(sql)?.[0]
  if (word === undefined) return undefined
  const unquoted = word.startsWith('"') ? word.slice(1, -1).replace(/""/g, '"') : word.toLowerCase()
  return unquoted === name ? i : undefined
}

/** Where a sticky `pattern` matching at `from` ends, or undefined when it does not match there. */
function matchAt(pattern: RegExp, text: string, from: number): number | undefined {
  pattern.lastIndex = from
  return pattern.exec(text) === null ? undefined : pattern.lastIndex
}

/** Every object of a parse tree, depth first. */
function visit(value: unknown, fn: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, fn)
    return
  }
  if (value === null || typeof value !== 'object') return
  fn(value as Record<string, unknown>)
  for (const child of Object.values(value)) visit(child, fn)
}

/** Character offsets of a text's UTF-8 byte offsets, which libpg_query's locations count. */
class CharOffsets {
  private readonly chars: Map<number, number> | undefined

  constructor(text: string) {
    if (Buffer.byteLength(text, 'utf8') === text.length) return
    this.chars = new Map()
    let byte = 0
    for (let i = 0; i < text.length; i++) {
      this.chars.set(byte, i)
      const code = text.codePointAt(i) as number
      byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
      if (code > 0xffff) i++
    }
  }

  /** The character at UTF-8 byte `byte`; -1 when none starts there. */
  charAt(byte: number): number {
    return this.chars === undefined ? byte : (this.chars.get(byte) ?? -1)
  }
}
