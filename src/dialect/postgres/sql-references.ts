import type { ParseResult } from 'libpg-query'
import { readQueriesWith } from '../../migrate/step-ties-qualifiers.js'
import type { SqlReferences, TypeReference } from '../../plan/phase-sql.js'
import type { QualifiedName } from '../../schema/model.js'

let loaded: Promise<void> | undefined
let parseSync: ((sql: string) => ParseResult) | undefined

/**
 * Loads the parser (libpg_query's WebAssembly) once, so that {@link sqlReferences} can parse synchronously inside
 * the planner, which is pure and synchronous. Imported on demand, never at start-up (importing the package starts
 * compiling its WebAssembly): the commands that plan phases call this first.
 */
export function loadReferenceParser(): Promise<void> {
  loaded ??= import('libpg-query').then(async (parser) => {
    await parser.loadModule()
    parseSync = parser.parseSync
    // The same parser tells a view's aliases from the relations it reads when steps are tied (migrate/step-ties*).
    readQueriesWith(parser.parseSync)
  })
  return loaded
}

/** `sql` parsed by the parser {@link loadReferenceParser} loaded; throws when it is not loaded. */
export function parseLoaded(sql: string): ParseResult {
  if (parseSync === undefined) throw new Error('parseLoaded: the parser is not loaded (await loadReferenceParser())')
  return parseSync(sql)
}

/**
 * The types an expression or a query names and the functions it calls, read by PostgreSQL's own parser
 * (libpg_query), so that every spelling counts: `x::mood`, `CAST(x AS "Shop"."Mood")`, `x::public.mood[]`,
 * `'{a}'::mood[]`, a call `public.is_ok(m)` or `"Is_Ok"(m)`; a name inside a string literal or a comment does not.
 * Each type comes with where its own name (the last part, without schema or `[]`) is written in `sql`, so that a
 * caller can rename exactly that. Unqualified names have no schema (the search path decides; the server prints a
 * name qualified when it is not on it). Throws when the parser is not loaded ({@link loadReferenceParser}) or the
 * text does not parse.
 */
export function sqlReferences(sql: string, as: 'expression' | 'query'): SqlReferences {
  const prefix = as === 'expression' ? 'SELECT ' : ''
  const text = prefix + sql
  if (parseSync === undefined) throw new Error('sqlReferences: the parser is not loaded (await loadReferenceParser())')
  const tree = parseSync(text)
  const types: TypeReference[] = []
  const calls: QualifiedName[] = []
  const offsets = new ByteOffsets(text)
  visit(tree, (node) => {
    if (Array.isArray(node.names) && 'typemod' in node) {
      const name = qualified(node.names)
      const span = lastNamePart(text, offsets.charAt(Number(node.location ?? -1)))
      if (name !== undefined && span !== undefined)
        types.push({ name, start: span.start - prefix.length, end: span.end - prefix.length })
    }
    const call = node.FuncCall as { funcname?: unknown } | undefined
    if (call !== undefined && Array.isArray(call.funcname)) {
      const name = qualified(call.funcname)
      if (name !== undefined) calls.push(name)
    }
  })
  return { types, calls }
}

/** `[schema, name]` (or `[catalog, schema, name]`) String nodes as a name; undefined for anything else. */
function qualified(parts: readonly unknown[]): QualifiedName | undefined {
  const names = parts.map((p) => (p as { String?: { sval?: string } }).String?.sval)
  if (names.some((n) => n === undefined) || names.length === 0) return undefined
  const name = names[names.length - 1] as string
  const schema = names[names.length - 2]
  return schema === undefined ? { name } : { schema, name }
}

/** Every object of a parse tree, depth first. */
function visit(value: unknown, fn: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, fn)
    return
  }
  if (value === null || typeof value !== 'object') return
  fn(value as Record<string, unknown>)
  for (const child of Object.values(value)) visit(child, fn)
}

/**
 * Where the last part of the dotted name that starts at `start` is written: `"Shop"."Mood"[]` gives `"Mood"`. The
 * parser gives where a type name starts, not where it ends; from there the name is identifiers (quoted or not) and
 * dots only.
 */
function lastNamePart(text: string, start: number): { start: number; end: number } | undefined {
  if (start < 0) return undefined
  let i = start
  let part: { start: number; end: number } | undefined
  for (;;) {
    const from = i
    if (text[i] === '"') {
      i++
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) i += text[i] === '"' ? 2 : 1
      i++
    } else {
      while (i < text.length && /[\p{L}\p{N}_$]/u.test(text[i] as string)) i++
    }
    if (i === from) return part
    part = { start: from, end: i }
    let j = i
    while (/\s/.test(text[j] ?? '')) j++
    if (text[j] !== '.') return part
    j++
    while (/\s/.test(text[j] ?? '')) j++
    i = j
  }
}

/** Character positions of the parser's byte offsets (it counts UTF-8 bytes). */
class ByteOffsets {
  private readonly ascii: boolean
  constructor(private readonly text: string) {
    this.ascii = Buffer.byteLength(text, 'utf8') === text.length
  }

  charAt(byte: number): number {
    if (byte < 0 || this.ascii) return byte
    return Buffer.from(this.text, 'utf8').subarray(0, byte).toString('utf8').length
  }
}
