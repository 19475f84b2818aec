import { DASH, isIdentChar, QUOTE, SLASH, STAR, skipBlockComment, skipQuoted } from './split-statements.js'

/**
 * A U&"..." name as PostgreSQL stores it: `body` (its doubled quotes undone) with each escape decoded, the way the
 * server's parser does (parser.c: str_udeunescape, then check_uescapechar for a UESCAPE clause): `\XXXX` and
 * `\+XXXXXX` are code points (a UTF-16 surrogate pair makes one), the escape character doubled is itself.
 * `escapeChar`: the UESCAPE clause's character, a backslash without one. Undefined where the server refuses the text
 * (a broken escape, an invalid escape character): the statement fails there, whatever the name's length.
 */
export function decodeUnicodeName(body: string, escapeChar: string | undefined = '\\'): string | undefined {
  if (escapeChar === undefined || !validEscape(escapeChar)) return undefined
  let out = ''
  let high: number | undefined
  let i = 0
  while (i < body.length) {
    if (body[i] !== escapeChar) {
      if (high !== undefined) return undefined
      out += body[i]
      i++
      continue
    }
    if (body[i + 1] === escapeChar) {
      if (high !== undefined) return undefined
      out += escapeChar
      i += 2
      continue
    }
    const long = body[i + 1] === '+'
    const digits = long ? body.slice(i + 2, i + 8) : body.slice(i + 1, i + 5)
    if (!/^[0-9A-Fa-f]+$/.test(digits) || digits.length !== (long ? 6 : 4)) return undefined
    const code = Number.parseInt(digits, 16)
    i += long ? 8 : 5
    if (high !== undefined) {
      // The second half of a surrogate pair, right after the first; anything else the server refuses.
      if (code < 0xdc00 || code > 0xdfff) return undefined
      out += String.fromCodePoint(((high - 0xd800) << 10) + (code - 0xdc00) + 0x10000)
      high = undefined
    } else if (code >= 0xd800 && code <= 0xdbff) high = code
    else if (code === 0 || code > 0x10ffff || (code >= 0xdc00 && code <= 0xdfff)) return undefined
    else out += String.fromCodePoint(code)
  }
  return high === undefined ? out : undefined
}

/** check_uescapechar, and one byte (the server compares its strlen with 1): not a hex digit, `+`, a quote or a space. */
function validEscape(escapeChar: string): boolean {
  return escapeChar.length === 1 && escapeChar.charCodeAt(0) < 128 && !/^[0-9A-Fa-f+'" \t\n\r\f\v]$/.test(escapeChar)
}

/** Whether the `"` at `quote` opens a U&"..." name: `U&` right before it, the `U` a word of its own. */
export function opensUnicodeName(text: string, quote: number): boolean {
  const u = text.charCodeAt(quote - 2)
  return (
    quote >= 2 &&
    text.charCodeAt(quote - 1) === 38 &&
    (u === 85 || u === 117) &&
    (quote < 3 || !isIdentChar(text.charCodeAt(quote - 3)))
  )
}

/**
 * The escape character of the UESCAPE clause that follows a U&"..." name ending at `end` (after its closing quote),
 * past white space and comments, as the server's parser looks ahead for it (libpg_query refuses a comment there, the
 * server does not); a backslash when there is none, undefined when the clause has no simple string literal (the
 * server refuses it).
 */
export function uescapeAfter(text: string, end: number): string | undefined {
  let i = skipSpace(text, end)
  if (!/^uescape$/i.test(text.slice(i, i + 7)) || isIdentChar(text.charCodeAt(i + 7))) return '\\'
  i = skipSpace(text, i + 7)
  if (text.charCodeAt(i) !== QUOTE) return undefined
  const close = skipQuoted(text, i + 1, QUOTE, false)
  if (text.charCodeAt(close - 1) !== QUOTE || close - 1 === i) return undefined
  return text.slice(i + 1, close - 1).replaceAll("''", "'")
}

function skipSpace(text: string, i: number): number {
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 32 || (c >= 9 && c <= 13)) i++
    else if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      const eol = text.indexOf('\n', i + 2)
      i = eol === -1 ? n : eol + 1
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) i = skipBlockComment(text, i + 2)
    else return i
  }
  return n
}
