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
 * neither as a statement nor as an expression, a qualifier no query around it declares an entry by (a policy's own
 * table in its USING, a trigger's NEW), a qualifier of more than one part (`s.t.c` names the relation s.t), an alias
 * declared where the tree holds no position (a subquery's): every such name counts as it did. In a query PostgreSQL
 * accepts, a one-part qualifier that a query around it declares names that entry (the innermost first), never another
 * relation; the entry's own relation is named in the FROM, whose words stay.
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
  const found = new Set<number>()
  new RangeScopes({
    qualifier: (location) => {
      const char = at(location)
      if (char !== undefined) found.add(char)
    },
    alias: (name, location) => {
      const char = at(location)
      const declared = char === undefined ? undefined : aliasAfter(sql, char, name)
      if (declared !== undefined) found.add(declared)
    },
  }).walk(tree.tree, [])
  return found
}

/** A node of libpg_query's JSON tree, as far as RangeScopes reads it. */
type TreeNode = Record<string, unknown>

/** The names a query level declares for its range entries (tables by alias or name, subqueries and joins by alias). */
type Scope = ReadonlySet<string>

/**
 * A walk of a parse tree that tells each column's one-part qualifier naming a range entry of a query around it: its
 * own level's FROM, or an outer level's (a correlated subquery). Only queries declare scopes here: a qualifier of a
 * table the text does not declare (a policy's own table in its USING, a trigger's NEW) is no entry's, and keeps its
 * name, even where a sibling subquery has an entry of that name. A subquery in FROM sees its level's entries only
 * when LATERAL; a join's ON sees its operands, even those the join's alias hides from the rest of the query.
 */
class RangeScopes {
  constructor(
    private readonly found: {
      /** A one-part qualifier naming a range entry, written at `location` (the parser's, a UTF-8 offset). */
      qualifier(location: unknown): void
      /** A table's alias `name` declared after the relation written at `location`. */
      alias(name: string, location: unknown): void
    },
  ) {}

  walk(value: unknown, scopes: readonly Scope[]): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scopes)
      return
    }
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      if (key === 'SelectStmt') this.select(child as TreeNode, scopes)
      else if (key === 'ColumnRef') this.column(child as TreeNode, scopes)
      else {
        if (key === 'RangeVar') this.rangeVar(child as TreeNode)
        this.walk(child, scopes)
      }
    }
  }

  private select(stmt: TreeNode, scopes: readonly Scope[]): void {
    const items = Array.isArray(stmt.fromClause) ? (stmt.fromClause as unknown[]) : []
    const entries = new Set<string>()
    for (const item of items) declare(item, entries)
    const inner = [...scopes, entries]
    for (const item of items) this.fromItem(item, scopes, inner)
    for (const [key, child] of Object.entries(stmt)) {
      // A WITH's queries see the levels around, not this one's FROM; so do a UNION's arms (SelectStmts the tree
      // holds without their node's name), each a query of its own.
      if (key === 'withClause') this.walk(child, scopes)
      else if (key === 'larg' || key === 'rarg') this.select(child as TreeNode, scopes)
      else if (key !== 'fromClause') this.walk(child, inner)
    }
  }

  /** An entry of a FROM: `outer` the scopes around its query, `inner` with its query's own entries. */
  private fromItem(item: unknown, outer: readonly Scope[], inner: readonly Scope[]): void {
    const node = item as TreeNode
    const join = node.JoinExpr as TreeNode | undefined
    const sub = (node.RangeSubselect ?? node.RangeFunction) as TreeNode | undefined
    if (join !== undefined) {
      this.fromItem(join.larg, outer, inner)
      this.fromItem(join.rarg, outer, inner)
      const operands = new Set<string>()
      declare(join.larg, operands)
      declare(join.rarg, operands)
      this.walk(join.quals, [...inner, operands])
    } else if (sub !== undefined) this.walk(sub, sub.lateral === true ? inner : outer)
    else this.walk(item, outer)
  }

  private column(ref: TreeNode, scopes: readonly Scope[]): void {
    const fields = Array.isArray(ref.fields) ? ref.fields : []
    const first = (fields[0] as { String?: { sval?: unknown } } | undefined)?.String?.sval
    if (fields.length === 2 && typeof first === 'string' && scopes.some((scope) => scope.has(first)))
      this.found.qualifier(ref.location)
  }

  private rangeVar(range: TreeNode): void {
    const alias = aliasOf(range.alias)
    // A location of 0 is left out of the JSON.
    if (alias !== undefined) this.found.alias(alias, range.location ?? 0)
  }
}

/** Adds the names a FROM entry declares to `entries`: a table's alias or name, a join's alias or its operands'. */
function declare(item: unknown, entries: Set<string>): void {
  if (item === null || typeof item !== 'object') return
  const node = item as TreeNode
  const [kind] = Object.keys(node)
  const entry = (kind === undefined ? undefined : node[kind]) as TreeNode | undefined
  const alias = aliasOf(entry?.alias)
  if (alias !== undefined) entries.add(alias)
  else if (kind === 'RangeVar' && typeof entry?.relname === 'string') entries.add(entry.relname)
  else if (kind === 'JoinExpr') {
    declare(entry?.larg, entries)
    declare(entry?.rarg, entries)
  }
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
