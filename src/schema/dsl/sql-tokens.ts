/**
 * A lexical token of SQL text. Identifiers are folded as PostgreSQL folds them (ASCII lower case) unless quoted.
 * The tokenizer serves name inference only (default index and check names, view dependencies); it never
 * changes SQL text.
 */
export type SqlToken =
  | { readonly kind: 'ident'; readonly value: string; readonly quoted: boolean }
  | { readonly kind: 'string' | 'number' | 'op' | 'punct'; readonly value: string }

const identStart = /[A-Za-z_\u0080-\uffff]/
const identPart = /[A-Za-z0-9_$\u0080-\uffff]/
const opChars = '+-*/<>=~!@#%^&|`?'

/** Splits SQL text into tokens, skipping whitespace and comments. */
export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i] as string
    const next = text[i + 1]
    if (/\s/.test(ch)) i++
    else if (ch === '-' && next === '-') i = skipLineComment(text, i)
    else if (ch === '/' && next === '*') i = skipBlockComment(text, i)
    else if (ch === "'") i = readString(text, i, tokens, false)
    else if ((ch === 'E' || ch === 'e') && next === "'") i = readString(text, i + 1, tokens, true)
    else if (ch === '"') i = readQuotedIdent(text, i, tokens)
    else if (ch === '$' && /[A-Za-z_$]/.test(next ?? '')) i = readDollar(text, i, tokens)
    else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(next ?? ''))) i = readNumber(text, i, tokens)
    else if (identStart.test(ch)) i = readIdent(text, i, tokens)
    else if (ch === ':' && next === ':') {
      tokens.push({ kind: 'punct', value: '::' })
      i += 2
    } else if (opChars.includes(ch)) {
      let end = i
      while (end < text.length && opChars.includes(text[end] as string)) end++
      tokens.push({ kind: 'op', value: text.slice(i, end) })
      i = end
    } else {
      tokens.push({ kind: 'punct', value: ch })
      i++
    }
  }
  return tokens
}

function skipLineComment(text: string, i: number): number {
  const end = text.indexOf('\n', i)
  return end === -1 ? text.length : end + 1
}

/** Where the block comment opened at `start` ends: past its closing `*` `/`, or the text's end when it never closes. */
export function skipBlockComment(text: string, start: number): number {
  // Block comments nest in PostgreSQL.
  let depth = 0
  let i = start
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++
      i += 2
    } else if (text.startsWith('*/', i)) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return i
}

function readString(text: string, start: number, tokens: SqlToken[], escapes: boolean): number {
  let i = start + 1
  let value = ''
  while (i < text.length) {
    const ch = text[i] as string
    if (escapes && ch === '\\') {
      value += text[i + 1] ?? ''
      i += 2
    } else if (ch === "'" && text[i + 1] === "'") {
      value += "'"
      i += 2
    } else if (ch === "'") {
      i++
      break
    } else {
      value += ch
      i++
    }
  }
  tokens.push({ kind: 'string', value })
  return i
}

function readQuotedIdent(text: string, start: number, tokens: SqlToken[]): number {
  let i = start + 1
  let value = ''
  while (i < text.length) {
    if (text[i] === '"' && text[i + 1] === '"') {
      value += '"'
      i += 2
    } else if (text[i] === '"') {
      i++
      break
    } else value += text[i++]
  }
  tokens.push({ kind: 'ident', value, quoted: true })
  return i
}

function readDollar(text: string, start: number, tokens: SqlToken[]): number {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(start))
  if (match === null) {
    // `$1`-style parameters and stray dollars are operators for our purposes.
    tokens.push({ kind: 'op', value: '$' })
    return start + 1
  }
  const tag = match[0]
  const bodyStart = start + tag.length
  const end = text.indexOf(tag, bodyStart)
  const bodyEnd = end === -1 ? text.length : end
  tokens.push({ kind: 'string', value: text.slice(bodyStart, bodyEnd) })
  return end === -1 ? text.length : end + tag.length
}

function readNumber(text: string, start: number, tokens: SqlToken[]): number {
  const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(start))
  const value = match?.[0] ?? (text[start] as string)
  tokens.push({ kind: 'number', value })
  return start + value.length
}

function readIdent(text: string, start: number, tokens: SqlToken[]): number {
  let end = start + 1
  while (end < text.length && identPart.test(text[end] as string)) end++
  // PostgreSQL folds only ASCII letters of unquoted identifiers (downcase_identifier, multibyte encodings).
  const value = text.slice(start, end).replace(/[A-Z]/g, (c) => c.toLowerCase())
  tokens.push({ kind: 'ident', value, quoted: false })
  return end
}

/** Index of the token that closes the bracket opened at `open` (`(`/`)` or `[`/`]`), or -1. */
export function matchingClose(tokens: readonly SqlToken[], open: number): number {
  const opener = tokens[open]?.value
  const closer = opener === '(' ? ')' : ']'
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i] as SqlToken
    if (token.kind !== 'punct') continue
    if (token.value === opener) depth++
    else if (token.value === closer && --depth === 0) return i
  }
  return -1
}

/** Whether the token is the unquoted keyword `word` (already lower case). */
export function isKeyword(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === 'ident' && !token.quoted && token.value === word
}

/** Whether the token is the punctuation `value`. */
export function isPunct(token: SqlToken | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value
}
