import {
  DASH,
  DIGIT_0,
  DIGIT_9,
  DOLLAR,
  DOT,
  DOUBLE_QUOTE,
  isEscapeString,
  isIdentChar,
  isIdentStart,
  QUOTE,
  SLASH,
  STAR,
  skipBlockComment,
  skipDollar,
  skipQuoted,
} from './split-statements.js'
import { decodeUnicodeName, opensUnicodeName, uescapeAfter } from './unicode-identifier.js'

/**
 * The identifiers of PostgreSQL text, each once, as its lexer reads them, in one pass without tokens: an unquoted word as
 * written (keywords too), a quoted name with its doubled quotes undone (a U&"..." name decoded as the server stores it,
 * or as written where the server would refuse its escapes: unicode-identifier.ts). Strings ('...', E'...' with
 * backslash escapes), dollar-quoted bodies, comments (`--`, nested block comments) and numbers hold none: an apostrophe
 * in a comment or in a quoted name, or an escaped one, starts no string, where a pattern that took it for one hid every
 * name up to the next quote (ban-long-identifier missed them).
 */
export function identifiersIn(text: string): Set<string> {
  // A set, filled in place: a generator's yields took most of the time.
  const names = new Set<string>()
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) i = skipQuoted(text, i + 1, QUOTE, isEscapeString(text, i))
    else if (c === DOUBLE_QUOTE) {
      const end = skipQuoted(text, i + 1, DOUBLE_QUOTE, false)
      // Unterminated, the name runs to the end of the text.
      const close = text.charCodeAt(end - 1) === DOUBLE_QUOTE && end - 1 > i ? end - 1 : end
      const body = text.slice(i + 1, close).replaceAll('""', '"')
      const decoded = opensUnicodeName(text, i) ? decodeUnicodeName(body, uescapeAfter(text, end)) : undefined
      names.add(decoded ?? body)
      i = end
    } else if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      const eol = text.indexOf('\n', i + 2)
      i = eol === -1 ? n : eol + 1
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) i = skipBlockComment(text, i + 2)
    else if (c === DOLLAR) i = skipDollar(text, i)
    else if (isIdentStart(c)) {
      let end = i + 1
      while (end < n && isIdentChar(text.charCodeAt(end))) end++
      names.add(text.slice(i, end))
      i = end
    } else if (c >= DIGIT_0 && c <= DIGIT_9) {
      // A number, and what may follow it without a space (1e5, 0x1f, 1_000): no name of its own.
      i++
      while (i < n && (isIdentChar(text.charCodeAt(i)) || text.charCodeAt(i) === DOT)) i++
    } else i++
  }
  return names
}
