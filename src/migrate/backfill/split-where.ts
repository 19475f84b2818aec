/**
 * Splits an UPDATE's text at its top-level WHERE: `{ head: 'UPDATE t SET a = 1', where: 'a IS NULL' }`, or
 * `where: undefined` when it has none. Strings, quoted identifiers, dollar quotes, comments and parentheses
 * are skipped, so a `where` inside a subquery or a literal is not taken for it. The statement must have no
 * RETURNING (the caller refuses those), so the WHERE clause runs to the end of the text.
 *
 * @example splitWhere("update t set n = (select 1 where true) where n is null").where // 'n is null'
 */
export function splitWhere(sql: string): { readonly head: string; readonly where: string | undefined } {
  let depth = 0
  let found = -1
  let i = 0
  while (i < sql.length) {
    const c = sql[i] as string
    const next = sql[i + 1]
    if (c === "'" || c === '"') i = closing(sql, i, c)
    else if (c === '-' && next === '-') i = lineEnd(sql, i)
    else if (c === '/' && next === '*') i = commentEnd(sql, i)
    else if (c === '$' && !IDENTIFIER_CHAR.test(sql[i - 1] ?? ' ') && DOLLAR_TAG.test(sql.slice(i)))
      i = dollarEnd(sql, i)
    else {
      if (c === '(') depth++
      else if (c === ')') depth--
      else if (depth === 0 && /[wW]/.test(c) && /^where\b/i.test(sql.slice(i)) && !/[\w$]/.test(sql[i - 1] ?? ' '))
        found = i
      i++
    }
  }
  if (found < 0) return { head: sql, where: undefined }
  return { head: sql.slice(0, found).trimEnd(), where: sql.slice(found + 'where'.length).trim() }
}

/**
 * A dollar quote's opening tag, as PostgreSQL's scanner reads it: `$$` or `$tag$`, the tag a letter or `_` then
 * letters, digits or `_` (`$q1$`). `$1` is a parameter, not a tag.
 */
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/
/** A `$` after one of these is inside a name (`i$keel$`), not the start of a dollar quote. */
const IDENTIFIER_CHAR = /[\w$\u0080-\uffff]/

function closing(sql: string, start: number, quote: string): number {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2
      else return i + 1
    } else i++
  }
  return i
}

function lineEnd(sql: string, start: number): number {
  const end = sql.indexOf('\n', start)
  return end < 0 ? sql.length : end + 1
}

function commentEnd(sql: string, start: number): number {
  const end = sql.indexOf('*/', start + 2)
  return end < 0 ? sql.length : end + 2
}

function dollarEnd(sql: string, start: number): number {
  const tag = DOLLAR_TAG.exec(sql.slice(start))?.[0] as string
  const end = sql.indexOf(tag, start + tag.length)
  return end < 0 ? sql.length : end + tag.length
}
