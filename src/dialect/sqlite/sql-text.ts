/**
 * Small readers of the SQL text SQLite keeps in sqlite_schema: it stores each CREATE statement as it
 * was written, and some facts (CHECK constraints, generated column expressions, view bodies, index
 * expressions) are found only there.
 */

/** The end (exclusive) of the token starting at `i`: a quoted string or identifier, a comment, or one character. */
function tokenEnd(sql: string, i: number): number {
  const c = sql[i]
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2
        else return j + 1
      } else j++
    }
    return j
  }
  if (c === '[') {
    const j = sql.indexOf(']', i)
    return j === -1 ? sql.length : j + 1
  }
  if (c === '-' && sql[i + 1] === '-') {
    const j = sql.indexOf('\n', i)
    return j === -1 ? sql.length : j
  }
  if (c === '/' && sql[i + 1] === '*') {
    const j = sql.indexOf('*/', i + 2)
    return j === -1 ? sql.length : j + 2
  }
  return i + 1
}

/** The index of the parenthesis closing the one at `open`, skipping strings and comments. */
export function closingParen(sql: string, open: number): number {
  let depth = 0
  for (let i = open; i < sql.length; i = tokenEnd(sql, i)) {
    if (sql[i] === '(') depth++
    else if (sql[i] === ')' && --depth === 0) return i
  }
  return -1
}

/** Splits on commas at parenthesis depth 0, outside strings and comments; parts are trimmed. */
export function splitTopLevel(sql: string, separator = ','): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < sql.length; i = tokenEnd(sql, i)) {
    const c = sql[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === separator && depth === 0) {
      parts.push(sql.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(sql.slice(start).trim())
  return parts.filter((p) => p !== '')
}

/** The text inside the first top-level parentheses at or after `from`. */
export function parenthesized(sql: string, from = 0): { readonly inner: string; readonly end: number } | undefined {
  for (let i = from; i < sql.length; i = tokenEnd(sql, i)) {
    if (sql[i] === '(') {
      const close = closingParen(sql, i)
      if (close === -1) return undefined
      return { inner: sql.slice(i + 1, close), end: close + 1 }
    }
  }
  return undefined
}

/** An identifier as SQLite reads it: quotes removed, doubled quotes undoubled. */
export function unquote(name: string): string {
  const t = name.trim()
  const q = t[0]
  if ((q === '"' || q === '`') && t.endsWith(q)) return t.slice(1, -1).replaceAll(`${q}${q}`, q)
  if (q === '[' && t.endsWith(']')) return t.slice(1, -1)
  return t
}

/** Where a keyword occurs at depth 0 outside strings (case-insensitive, whole word), or -1. */
export function findKeyword(sql: string, keyword: RegExp, from = 0): number {
  let depth = 0
  for (let i = from; i < sql.length; i = tokenEnd(sql, i)) {
    const c = sql[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (depth === 0 && /[A-Za-z]/.test(c ?? '') && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? '')) {
      const m = keyword.exec(sql.slice(i))
      if (m !== null && m.index === 0) return i
    }
  }
  return -1
}

/** Every `CHECK (...)` of a table element, with the constraint name written before it if any. */
export function checksIn(element: string): { readonly name: string | undefined; readonly expr: string }[] {
  const found: { name: string | undefined; expr: string }[] = []
  let from = 0
  for (;;) {
    const at = findKeyword(element, /^CHECK\b/i, from)
    if (at === -1) return found
    const body = parenthesized(element, at)
    if (body === undefined) return found
    const before = element.slice(0, at)
    const named = /CONSTRAINT\s+("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s(]+)\s*$/i.exec(before)
    found.push({ name: named?.[1] === undefined ? undefined : unquote(named[1]), expr: body.inner.trim() })
    from = body.end
  }
}
