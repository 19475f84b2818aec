/**
 * SQL text with its string literals blanked, as PostgreSQL's scanner tells them apart (scan.l): a quote opens a
 * literal only in code, not in a comment or a quoted name; an E string's backslash escapes the quote after it; and a
 * dollar-quoted string is read as code of its own (a routine's body, which names what it reads), so that a stray
 * quote in it (`$$it's$$`, a `-- don't` of a body) cannot hide the text after it. One regular expression over the
 * whole text took each of those quotes for a literal's start: everything up to the next quote was blanked, and
 * step-ties.ts did not see the names there (a step that reads them could go before the step that makes them).
 */

import { skipBlockComment } from '../schema/dsl/sql-tokens.js'

const SPECIAL = /--|\/\*|["'$]/g
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y

/**
 * `sql` with each string literal replaced by blanks, as many as its characters (an E string's prefix with it), so that
 * an offset into the result is one into `sql` (step-ties-qualifiers.ts reads positions in the original); comments keep
 * their words, without their quotes.
 */
export function blankLiterals(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    // The text up to the next character that may start a literal, a comment, a quoted name or a dollar quote, as it is.
    SPECIAL.lastIndex = i
    const found = SPECIAL.exec(sql)
    if (found === null) return out + sql.slice(i)
    out += sql.slice(i, found.index)
    i = found.index
    const c = sql[i] as string
    const next = sql[i + 1]
    const before = i > 0 ? (sql[i - 1] as string) : ''
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      const stop = end === -1 ? sql.length : end
      out += quotesBlanked(sql.slice(i, stop))
      i = stop
    } else if (c === '/' && next === '*') {
      const stop = skipBlockComment(sql, i)
      out += quotesBlanked(sql.slice(i, stop))
      i = stop
    } else if (c === '"') {
      const stop = quotedEnd(sql, i, '"', false)
      out += sql.slice(i, stop)
      i = stop
    } else if (c === "'") {
      // E'...' (or e'...'): a backslash escapes the next character; the prefix is a word of its own.
      const escapes = /[eE]/.test(before) && !IDENT_CHAR.test(sql[i - 2] ?? '')
      const stop = quotedEnd(sql, i, "'", escapes)
      // Not closed: no literal to leave out (the scanner would refuse the text); the rest is read as code.
      if (stop === -1) {
        out += ' '
        i++
      } else {
        // The prefix goes with it: it is no word of the text.
        out = (escapes ? out.slice(0, -1) : out) + ' '.repeat(stop - i + (escapes ? 1 : 0))
        i = stop
      }
    } else if (c === '$' && !IDENT_CHAR.test(before)) {
      DOLLAR_TAG.lastIndex = i
      const tag = DOLLAR_TAG.exec(sql)?.[0]
      const close = tag === undefined ? -1 : sql.indexOf(tag, i + tag.length)
      if (tag === undefined || close === -1) {
        out += c
        i++
      } else {
        const blanks = ' '.repeat(tag.length)
        out += blanks + blankLiterals(sql.slice(i + tag.length, close)) + blanks
        i = close + tag.length
      }
    } else {
      out += c
      i++
    }
  }
  return out
}

/** Where the quoted text opened at `start` ends (past its closing quote; a doubled quote is one inside); -1 when never. */
function quotedEnd(sql: string, start: number, quote: string, escapes: boolean): number {
  let i = start + 1
  while (i < sql.length) {
    const c = sql[i]
    if (escapes && c === '\\') i += 2
    else if (c === quote && sql[i + 1] === quote) i += 2
    else if (c === quote) return i + 1
    else i++
  }
  return quote === '"' ? sql.length : -1
}

const quotesBlanked = (text: string) => text.replace(/['"]/g, ' ')
