import { skipQuotedOrComment } from '../../../db/drivers/mysql-parameters.js'

/** Text helpers over a MySQL statement, shared by what classifies statements (session settings, effects). */

/** Splits at commas outside parentheses, strings and quoted names. */
export function topLevelCommaSplit(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; ) {
    const skip = skipQuotedOrComment(text, i)
    if (skip > i) {
      i = skip
      continue
    }
    const c = text[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
    i++
  }
  parts.push(text.slice(start))
  return parts
}

/** The statement without comments (executable comments kept as their SQL), for matching its shape. */
export function stripComments(sql: string): string {
  let out = ''
  for (let i = 0; i < sql.length; ) {
    const skip = skipQuotedOrComment(sql, i)
    if (skip > i) {
      const piece = sql.slice(i, skip)
      const executable = /^\/\*(?:!|M!)\d*([\s\S]*)\*\/$/.exec(piece)
      out += executable ? executable[1] : /^(--|#|\/\*)/.test(piece) ? ' ' : piece
      i = skip
      continue
    }
    out += sql[i]
    i++
  }
  return out
}
