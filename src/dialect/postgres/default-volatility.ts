/**
 * Whether a column default is volatile, for ADD COLUMN: PostgreSQL computes a volatile default for every existing
 * row (a rewrite under ACCESS EXCLUSIVE) and stores any other once in the catalog. Built-in functions are judged by
 * the shared lists (lint/sql/volatile-functions.ts), a user's function by the volatility its definition declares,
 * and a function neither knows is taken for VOLATILE, which is what CREATE FUNCTION makes without a word: the plan
 * then says the table is rewritten, as ban-volatile-default warns, rather than promise a cheap step it cannot know.
 */

import { NOT_VOLATILE_FUNCTIONS, VOLATILE_FUNCTIONS } from '../../lint/sql/volatile-functions.js'
import type { Routine } from '../../schema/model.js'

/**
 * The user's functions by bare name: one entry per function of that name (overloads, schemas). Their definitions are
 * read only when a default calls one, so that planning a schema of many functions and no such default costs nothing.
 */
export type FunctionsByName = ReadonlyMap<string, readonly Routine[]>

/** Indexes `routines` (the schema the plan leads to) by name. */
export function functionsByName(routines: readonly Routine[]): FunctionsByName {
  const byName = new Map<string, Routine[]>()
  for (const routine of routines) {
    if (routine.kind === 'function') byName.set(routine.name.name, [...(byName.get(routine.name.name) ?? []), routine])
  }
  return byName
}

/**
 * Whether a function's definition leaves it VOLATILE. pg_get_functiondef prints IMMUTABLE or STABLE among the
 * attributes before the body and nothing for VOLATILE; the body (quoted, or a SQL-standard BEGIN ATOMIC / RETURN)
 * is cut off first, so that a word in it does not count, and so are the name, the arguments and a RETURNS TABLE's
 * columns: STABLE and IMMUTABLE are unreserved words, printed unquoted as names (`f(stable integer)`), which made a
 * VOLATILE function look STABLE and its default a step that rewrites nothing.
 */
export function declaresVolatile(definition: string): boolean {
  const header = withoutStrings(definition).split(/\b(?:BEGIN\s+ATOMIC|RETURN)\b/i)[0] ?? ''
  const declared = /\b(IMMUTABLE|STABLE|VOLATILE)\b/i.exec(attributesOf(header))?.[1]?.toUpperCase()
  return declared === undefined || declared === 'VOLATILE'
}

/** A definition's header past its name and arguments (the first parenthesised list), without any other one. */
function attributesOf(header: string): string {
  const open = header.indexOf('(')
  if (open === -1) return header
  let depth = 0
  let out = ''
  let signature = true
  for (let i = open; i < header.length; i++) {
    const c = header[i] as string
    if (c === '(') depth++
    else if (c === ')') {
      depth--
      if (depth === 0) signature = false
    } else if (depth === 0 && !signature) out += c
  }
  return out
}

/**
 * Whether default SQL (as the server prints it, or as written) calls a volatile function: a built-in one, a
 * routine `routines` declares VOLATILE (any of that name, when overloads differ), or one known to neither.
 */
export function defaultIsVolatile(sql: string, routines: FunctionsByName | undefined): boolean {
  return calledFunctions(sql).some((call) => callIsVolatile(call, routines))
}

function callIsVolatile(call: FunctionCall, routines: FunctionsByName | undefined): boolean {
  // pg_catalog comes first on every search path unless named later: an unqualified built-in name is the built-in.
  if (call.schema === undefined || call.schema === 'pg_catalog') {
    if (VOLATILE_FUNCTIONS.has(call.name)) return true
    if (NOT_VOLATILE_FUNCTIONS.has(call.name) || SQL_SYNTAX.has(call.name)) return false
  }
  const declared = (routines?.get(call.name) ?? []).filter(
    (r) => call.schema === undefined || r.name.schema === call.schema,
  )
  return declared.length === 0 || declared.some((r) => declaresVolatile(r.definition))
}

/** A function a default calls, by its name as PostgreSQL folds it. */
export interface FunctionCall {
  readonly schema?: string
  readonly name: string
}

/**
 * The functions `sql` calls: each name (optionally schema-qualified) followed by `(`, outside string literals and
 * quoted bodies, and not a type's modifier after `::` or AS (`'x'::character varying(10)`).
 */
export function calledFunctions(sql: string): FunctionCall[] {
  const calls: FunctionCall[] = []
  const tokens = tokenize(withoutStrings(sql))
  let inType = false
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    if (token.kind === 'punct') {
      if (token.text === '::') inType = true
      else if (token.text === '(' && inType) i = closingParen(tokens, i)
      else if (token.text !== '[' && token.text !== ']' && token.text !== '.') inType = false
      continue
    }
    if (inType) {
      // A type goes on over qualified names and its own multi-word spellings; any other word ends it.
      const previous = tokens[i - 1]
      const startsType = previous?.text === '::' || (previous?.text === 'as' && previous.quoted !== true)
      if (startsType || previous?.text === '.' || TYPE_WORDS.has(token.text)) continue
      inType = false
    }
    if (token.kind === 'word' && !token.quoted && token.text === 'as') {
      inType = true
      continue
    }
    if (tokens[i + 1]?.text !== '(') continue
    const qualifier = tokens[i - 2]
    const qualified = tokens[i - 1]?.text === '.' && qualifier?.kind === 'word'
    calls.push(qualified ? { schema: qualifier.text, name: token.text } : { name: token.text })
  }
  return calls
}

interface Token {
  readonly kind: 'word' | 'punct'
  readonly text: string
  readonly quoted?: boolean
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  for (const match of sql.matchAll(/"((?:[^"]|"")*)"|([A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)|(::|[^\s\w"])/g)) {
    if (match[1] !== undefined) tokens.push({ kind: 'word', text: match[1].replaceAll('""', '"'), quoted: true })
    else if (match[2] !== undefined) tokens.push({ kind: 'word', text: match[2].toLowerCase() })
    else if (match[3] !== undefined) tokens.push({ kind: 'punct', text: match[3] })
  }
  return tokens
}

/** The index of the `)` closing the `(` at `open` (or the last token). */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]?.text
    if (text === '(') depth++
    else if (text === ')' && --depth === 0) return i
  }
  return tokens.length - 1
}

/** `sql` with its string literals ('', E'' with backslash escapes, $tag$ $tag$) emptied, so that words inside them are not read as calls. */
function withoutStrings(sql: string): string {
  return sql.replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|\b[Ee]'(?:[^'\\]|''|\\.)*'|'(?:[^']|'')*'/g, "''")
}

/** The words after the first that a type's name may have (`character varying`, `timestamp(3) with time zone`). */
const TYPE_WORDS = new Set(['varying', 'precision', 'with', 'without', 'time', 'zone', 'local'])

/** Constructs written like calls that are SQL syntax, not functions (coalesce(...), ARRAY(...), x IN (...)). */
const SQL_SYNTAX = new Set([
  'coalesce',
  'nullif',
  'greatest',
  'least',
  'row',
  'array',
  'cast',
  'exists',
  'in',
  'any',
  'all',
  'some',
  'not',
  'and',
  'or',
  'is',
  'when',
  'then',
  'else',
  'values',
  'current_timestamp',
  'current_time',
  'localtime',
  'localtimestamp',
  'collate',
])
