/**
 * Keel writes bind parameters as PostgreSQL does (`$1`, possibly more than once). MySQL's are `?`, and
 * mysql2's client-side formatting replaces every `?`, even one inside a string literal; so the values are
 * inlined here, escaped by the driver, outside strings, quoted identifiers and comments. (Server-side
 * prepared statements would refuse much of the DDL and multi-statement text Keel sends.)
 */
export function inlineParameters(sql: string, params: readonly unknown[], literal: (value: unknown) => string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const skip = skipQuotedOrComment(sql, i)
    if (skip > i) {
      out += sql.slice(i, skip)
      i = skip
      continue
    }
    const match =
      sql[i] === '$' && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? '') ? /^\$(\d+)/.exec(sql.slice(i, i + 8)) : null
    if (match) {
      const n = Number(match[1])
      if (n < 1 || n > params.length) throw new Error(`no value for parameter $${n} (${params.length} given)`)
      out += literal(bindable(params[n - 1]))
      i += match[0].length
      continue
    }
    out += sql[i]
    i++
  }
  return out
}

/**
 * Where a string literal, quoted identifier or comment that starts at `i` ends (`i` when none starts
 * there). MySQL strings take backslash escapes and doubled quotes; `-- ` needs a space after it; `#` also
 * starts a line comment.
 */
export function skipQuotedOrComment(sql: string, i: number): number {
  const c = sql[i]
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1
    while (j < sql.length) {
      if (sql[j] === '\\' && c !== '`') j += 2
      else if (sql[j] === c && sql[j + 1] === c) j += 2
      else if (sql[j] === c) return j + 1
      else j++
    }
    return sql.length
  }
  if ((c === '-' && sql[i + 1] === '-' && /[\s]|^$/.test(sql[i + 2] ?? '')) || c === '#') {
    const end = sql.indexOf('\n', i)
    return end === -1 ? sql.length : end
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2)
    return end === -1 ? sql.length : end + 2
  }
  return i
}

/** JSON-like values Keel binds: dates as UTC text, undefined as NULL. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '')
  return value
}
