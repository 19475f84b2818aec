/**
 * Column references inside SQL expression text (checks, index expressions and predicates, generated columns), as
 * the server prints them. The differ needs two things from that text and nothing more: whether an expression
 * mentions a column (PostgreSQL drops an index or check with the column it uses), and the expression with a column
 * renamed (PostgreSQL rewrites stored expressions on RENAME COLUMN, so the renamed `from` must read as the server
 * would print it, or a pure rename would also drop and re-add every check over the column).
 *
 * This is a tokenizer, not a parser. A token counts as a column reference when it is an identifier that is not a
 * function name (followed by `(`), a qualifier (followed by `.`), a field (after `.`), or a type (after `::` or
 * `AS`). A miss only costs a needless drop and re-add, never a wrong "no change": the rewritten text must still
 * equal `to`'s text exactly.
 */

type Token =
  | { readonly kind: 'ident'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'other'; readonly text: string; readonly start: number; readonly end: number }

const identStart = /[A-Za-z_\u0080-\uffff]/
const identPart = /[A-Za-z0-9_$\u0080-\uffff]/

/** Where a quoted run starting at `start` (a `'` or `"`) ends, past its closing quote; doubled quotes are escapes. */
function quotedEnd(text: string, start: number, backslashEscapes: boolean): number {
  const quote = text[start]
  let i = start + 1
  while (i < text.length) {
    if (backslashEscapes && text[i] === '\\') i += 2
    else if (text[i] === quote && text[i + 1] === quote) i += 2
    else if (text[i] === quote) return i + 1
    else i += 1
  }
  return text.length
}

function tokenize(text: string): readonly Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i] as string
    const start = i
    if (/\s/.test(ch)) {
      i += 1
      continue
    }
    if (ch === "'") {
      const escapes = /[Ee]/.test(text[i - 1] ?? '') && !identPart.test(text[i - 2] ?? '')
      i = quotedEnd(text, i, escapes)
      tokens.push({ kind: 'other', text: text.slice(start, i), start, end: i })
    } else if (ch === '"') {
      i = quotedEnd(text, i, false)
      const name = text.slice(start + 1, i - 1).replaceAll('""', '"')
      tokens.push({ kind: 'ident', name, start, end: i })
    } else if (/[0-9]/.test(ch)) {
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i] as string)) i += 1
      tokens.push({ kind: 'other', text: text.slice(start, i), start, end: i })
    } else if (identStart.test(ch)) {
      while (i < text.length && identPart.test(text[i] as string)) i += 1
      // An E'...' literal prefix belongs to the string that follows, not an identifier.
      if (text[i] === "'" && i - start === 1 && /[EeNnBbXxUu]/.test(ch)) continue
      tokens.push({ kind: 'ident', name: text.slice(start, i).toLowerCase(), start, end: i })
    } else {
      i += ch === ':' && text[i + 1] === ':' ? 2 : 1
      tokens.push({ kind: 'other', text: text.slice(start, i), start, end: i })
    }
  }
  return tokens
}

function isOther(token: Token | undefined, ...texts: readonly string[]): boolean {
  return token !== undefined && token.kind === 'other' && texts.includes(token.text)
}

/** Whether the identifier at `index` is used as a column reference (see the file comment). */
function isColumnReference(tokens: readonly Token[], index: number): boolean {
  const previous = tokens[index - 1]
  const next = tokens[index + 1]
  if (isOther(next, '(', '.') || isOther(previous, '.', '::')) return false
  return !(previous?.kind === 'ident' && previous.name === 'as')
}

function columnReferences(expr: string, column: string): readonly Token[] {
  const tokens = tokenize(expr)
  return tokens.filter((token, i) => token.kind === 'ident' && token.name === column && isColumnReference(tokens, i))
}

/** Whether the expression refers to the column. */
export function mentionsIdentifier(expr: string, column: string): boolean {
  return columnReferences(expr, column).length > 0
}

/**
 * The names a statement (a view's definition) may read columns by: every identifier in it, qualified or not, or
 * `'all'` when it has a `*` (a declared `SELECT *`; PostgreSQL itself prints every column a view reads). Errs on the
 * side of more.
 */
export function readColumns(sql: string): ReadonlySet<string> | 'all' {
  const tokens = tokenize(sql)
  if (tokens.some((token) => token.kind === 'other' && token.text === '*')) return 'all'
  return new Set(tokens.flatMap((token) => (token.kind === 'ident' ? [token.name] : [])))
}

/** Whether a statement (a view's definition) may read any of the columns (see `readColumns`). */
export function mayReadColumns(sql: string, columns: ReadonlySet<string>): boolean {
  const read = readColumns(sql)
  return read === 'all' || [...columns].some((column) => read.has(column))
}

/**
 * The expression with every reference to column `from` replaced by `to`, quoted by `quoteIdent`: the target
 * dialect's quoter (`DiffOptions.quoteIdent`), so that the text is what the server prints back.
 */
export function renameIdentifier(expr: string, from: string, to: string, quoteIdent: (name: string) => string): string {
  let out = ''
  let last = 0
  for (const token of columnReferences(expr, from)) {
    out += expr.slice(last, token.start) + quoteIdent(to)
    last = token.end
  }
  return out + expr.slice(last)
}
