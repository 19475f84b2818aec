/**
 * The end of each top-level statement of a PostgreSQL script: the index of each `;` that ends a
 * statement, as psql finds them (src/fe_utils/psqlscan.l), in one pass over the text without building
 * tokens. A semicolon does not end a statement inside a string ('...' with '' escapes, E'...' with
 * backslash escapes too), a quoted identifier, a dollar-quoted body ($$...$$, $tag$...$tag$), a comment
 * (`--` to the end of the line, nested `/* ... *\/`), parentheses (CREATE RULE ... DO (a; b)), or the
 * BEGIN ATOMIC ... END body of CREATE FUNCTION / PROCEDURE (psql's heuristic: after CREATE [OR REPLACE]
 * FUNCTION|PROCEDURE, BEGIN and CASE open a level and END closes one, outside parentheses).
 *
 * It exists so that a large file can be handed to the real parser a piece at a time (dialect/postgres/parse-sql.ts):
 * the parser, not this scan, decides what each piece holds, and a piece that fails to parse is reported
 * by the parser. Strings are assumed to be read with standard_conforming_strings on (the default since
 * PostgreSQL 9.1, and what libpg_query assumes).
 *
 * @example
 * ```ts
 * [...statementEnds("select ';'; select 2")] // [10]
 * ```
 */
export function* statementEnds(text: string): Generator<number> {
  const n = text.length
  let parens = 0
  let begins = 0
  // The first words of the current statement, lower-cased first letters (psql's `identifiers`).
  let words = ''
  let wordCount = 0
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === SEMICOLON) {
      if (parens === 0 && begins === 0) {
        yield i
        words = ''
        wordCount = 0
      }
      i++
    } else if (c === QUOTE) {
      i = skipQuoted(text, i + 1, QUOTE, isEscapeString(text, i))
    } else if (c === DOUBLE_QUOTE) {
      i = skipQuoted(text, i + 1, DOUBLE_QUOTE, false)
    } else if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      const eol = text.indexOf('\n', i + 2)
      i = eol === -1 ? n : eol + 1
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      i = skipBlockComment(text, i + 2)
    } else if (c === OPEN) {
      parens++
      i++
    } else if (c === CLOSE) {
      if (parens > 0) parens--
      i++
    } else if (c === DOLLAR) {
      i = skipDollar(text, i)
    } else if (isIdentStart(c)) {
      let end = i + 1
      while (end < n && isIdentChar(text.charCodeAt(end))) end++
      // Only the first five words and BEGIN/CASE/END matter: a long word is none of them.
      if (end - i <= 9) {
        const word = text.slice(i, end).toLowerCase()
        if (wordCount < 4 && TRACKED.has(word)) words += word[0]
        else if (wordCount < 4) words += '-'
        if (parens === 0 && /^c(?:f|p|orf|orp)/.test(words)) {
          if (word === 'begin') begins++
          else if (word === 'case' && begins > 0) begins++
          else if (word === 'end' && begins > 0) begins--
        }
      } else if (wordCount < 4) words += '-'
      wordCount++
      i = end
    } else if (c >= DIGIT_0 && c <= DIGIT_9) {
      // A number, and what may follow it without a space (1e5, 0x1f, 1_000): never a quote or `$` opener.
      i++
      while (i < n && (isIdentChar(text.charCodeAt(i)) || text.charCodeAt(i) === DOT)) i++
    } else i++
  }
}

/** The words psql's heuristic looks for at the start of a statement: CREATE [OR REPLACE] FUNCTION|PROCEDURE. */
const TRACKED = new Set(['create', 'or', 'replace', 'function', 'procedure'])

const SEMICOLON = 59
export const QUOTE = 39
export const DOUBLE_QUOTE = 34
export const DASH = 45
export const SLASH = 47
export const STAR = 42
const OPEN = 40
const CLOSE = 41
export const DOLLAR = 36
const BACKSLASH = 92
export const DOT = 46
export const DIGIT_0 = 48
export const DIGIT_9 = 57

/** A letter, `_`, or any non-ASCII character (PostgreSQL's ident_start). */
export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128
}

/** ident_cont: ident_start, a digit or `$`. */
export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= DIGIT_0 && c <= DIGIT_9) || c === DOLLAR
}

/**
 * Whether the quote at `at` opens an E'...' string, where a backslash escapes the next character: it
 * follows an `e` or `E` that is a word of its own (not the end of an identifier such as `name'`).
 */
export function isEscapeString(text: string, at: number): boolean {
  const e = text.charCodeAt(at - 1)
  if (e !== 69 && e !== 101) return false
  return at < 2 || !isIdentChar(text.charCodeAt(at - 2))
}

/** The index after the closing quote of a quoted string or identifier whose body starts at `i`. */
export function skipQuoted(text: string, i: number, quote: number, backslashEscapes: boolean): number {
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (backslashEscapes && c === BACKSLASH) i += 2
    else if (c === quote) {
      // A doubled quote is one quote character of the body.
      if (text.charCodeAt(i + 1) === quote) i += 2
      else return i + 1
    } else i++
  }
  return n
}

/** The index after a (nested) block comment whose body starts at `i`. */
export function skipBlockComment(text: string, i: number): number {
  const n = text.length
  let depth = 1
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === STAR && text.charCodeAt(i + 1) === SLASH) {
      if (--depth === 0) return i + 2
      i += 2
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      depth++
      i += 2
    } else i++
  }
  return n
}

/**
 * At a `$` that does not continue an identifier (those are consumed with their word): the index after a
 * dollar-quoted body ($tag$ ... $tag$), or after the `$` of a parameter ($1) or a lone `$`.
 */
export function skipDollar(text: string, at: number): number {
  let i = at + 1
  const n = text.length
  // A tag is an identifier without `$`, not starting with a digit; $1 is a parameter.
  if (i < n && isIdentStart(text.charCodeAt(i))) {
    while (i < n && isIdentChar(text.charCodeAt(i)) && text.charCodeAt(i) !== DOLLAR) i++
  }
  if (text.charCodeAt(i) !== DOLLAR) return at + 1
  const delimiter = text.slice(at, i + 1)
  const close = text.indexOf(delimiter, i + 1)
  return close === -1 ? n : close + delimiter.length
}
