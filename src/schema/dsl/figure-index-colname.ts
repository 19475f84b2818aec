import { isKeyword, isPunct, matchingClose, type SqlToken, tokenizeSql } from './sql-tokens.js'

/** A name guess and how sure it is, as PostgreSQL's FigureColnameInternal ranks them (2 sure, 1 type name, 0 none). */
interface Figured {
  readonly name?: string
  readonly strength: 0 | 1 | 2
}

const none: Figured = { strength: 0 }

/** SQL value functions that parse to SQLValueFunction and are named after their keyword. */
const valueFunctions = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_role',
  'current_user',
  'session_user',
  'user',
  'current_catalog',
  'current_schema',
  'system_user',
])

/** The grammar's SystemTypeName spellings: `::integer` names the column `int4`, as PostgreSQL does. */
const systemTypeNames: Readonly<Record<string, string>> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  decimal: 'numeric',
  dec: 'numeric',
  boolean: 'bool',
  char: 'bpchar',
  character: 'bpchar',
  nchar: 'bpchar',
  'national character': 'bpchar',
  'character varying': 'varchar',
  'char varying': 'varchar',
  'national character varying': 'varchar',
  'bit varying': 'varbit',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
}

/**
 * The column name PostgreSQL gives an index expression (FigureIndexColname in parse_target.c): the function name
 * for `lower(email)`, the column for `email::text`, `case` for a CASE, the type name for a cast of a constant, and
 * `expr` when it cannot tell (operators, constants). Default index names are built from these.
 * @example figureIndexColname('lower(email)') // 'lower'
 */
export function figureIndexColname(expr: string): string {
  return figureWhole(tokenizeSql(expr)).name ?? 'expr'
}

function figureWhole(tokens: readonly SqlToken[]): Figured {
  const result = figureOperand(tokens, 0)
  return result.next === tokens.length ? result.figured : none
}

/** One operand with its postfix casts, subscripts and COLLATE, starting at `start`. */
function figureOperand(tokens: readonly SqlToken[], start: number): { figured: Figured; next: number } {
  let { figured, next } = figurePrimary(tokens, start)
  for (;;) {
    const token = tokens[next]
    if (isPunct(token, '::')) {
      const type = readTypeName(tokens, next + 1)
      if (figured.strength <= 1) figured = { name: type.name, strength: 1 }
      next = type.next
    } else if (isPunct(token, '[')) {
      const close = matchingClose(tokens, next)
      if (close === -1) return { figured: none, next: tokens.length + 1 }
      next = close + 1
    } else if (isKeyword(token, 'collate')) {
      next = skipQualifiedName(tokens, next + 1)
    } else return { figured, next }
  }
}

function figurePrimary(tokens: readonly SqlToken[], start: number): { figured: Figured; next: number } {
  const token = tokens[start]
  const fail = { figured: none, next: tokens.length + 1 }
  if (token === undefined) return fail
  if (isPunct(token, '(')) {
    const close = matchingClose(tokens, start)
    if (close === -1) return fail
    return { figured: figureWhole(tokens.slice(start + 1, close)), next: close + 1 }
  }
  if (token.kind !== 'ident') return { figured: none, next: start + 1 }
  if (!token.quoted) {
    const special = figureKeywordForm(tokens, start)
    if (special !== undefined) return special
  }
  const after = skipQualifiedName(tokens, start)
  const last = tokens[after - 1] as SqlToken
  if (isPunct(tokens[after], '(')) {
    const close = matchingClose(tokens, after)
    if (close === -1) return fail
    return { figured: { name: functionName(last, tokens.slice(after + 1, close)), strength: 2 }, next: close + 1 }
  }
  if (tokens[after]?.kind === 'string' && after === start + 1) {
    // `interval '1 day'`, `date '2024-01-01'`: a typed constant, named after its type.
    return { figured: { name: typeName([token.value]), strength: 1 }, next: after + 1 }
  }
  if (after === start + 1 && !token.quoted && ['true', 'false', 'null'].includes(token.value)) {
    return { figured: none, next: after }
  }
  if (after === start + 1 && !token.quoted && valueFunctions.has(token.value)) {
    return { figured: { name: token.value, strength: 2 }, next: after }
  }
  return { figured: { name: last.value, strength: 2 }, next: after }
}

/** CASE, CAST, ARRAY[...], ROW(...), EXISTS(...): forms the grammar names by keyword. */
function figureKeywordForm(tokens: readonly SqlToken[], start: number): { figured: Figured; next: number } | undefined {
  const token = tokens[start] as SqlToken
  const next = tokens[start + 1]
  if (token.value === 'case') {
    // A CASE is named after its ELSE result when that has a strong name (`else lower(b)` → lower), else `case`,
    // weakly, so that a cast around it names it after the type (FigureColnameInternal, T_CaseExpr).
    let depth = 0
    let elseAt: number | undefined
    for (let i = start; i < tokens.length; i++) {
      if (isKeyword(tokens[i], 'case')) depth++
      else if (depth === 1 && isKeyword(tokens[i], 'else')) elseAt = i
      else if (isKeyword(tokens[i], 'end') && --depth === 0) {
        const otherwise = elseAt === undefined ? none : figureWhole(tokens.slice(elseAt + 1, i))
        const figured: Figured = otherwise.strength === 2 ? otherwise : { name: 'case', strength: 1 }
        return { figured, next: i + 1 }
      }
    }
    return { figured: none, next: tokens.length + 1 }
  }
  if (token.value === 'cast' && isPunct(next, '(')) {
    const close = matchingClose(tokens, start + 1)
    const inner = tokens.slice(start + 2, close === -1 ? tokens.length : close)
    const as = inner.findIndex((t) => isKeyword(t, 'as'))
    if (close === -1 || as === -1) return { figured: none, next: tokens.length + 1 }
    const arg = figureWhole(inner.slice(0, as))
    const figured: Figured = arg.strength === 2 ? arg : { name: readTypeName(inner, as + 1).name, strength: 1 }
    return { figured, next: close + 1 }
  }
  const bracket = token.value === 'array' ? '[' : token.value === 'row' || token.value === 'exists' ? '(' : undefined
  if (bracket !== undefined && (isPunct(next, bracket) || (token.value === 'array' && isPunct(next, '(')))) {
    const close = matchingClose(tokens, start + 1)
    if (close === -1) return { figured: none, next: tokens.length + 1 }
    return { figured: { name: token.value, strength: 2 }, next: close + 1 }
  }
  return undefined
}

/** The name of a function call; `trim(...)` becomes btrim/ltrim/rtrim as the grammar rewrites it. */
function functionName(name: SqlToken, args: readonly SqlToken[]): string {
  if (name.kind !== 'ident' || name.quoted || name.value !== 'trim') return name.value
  if (isKeyword(args[0], 'leading')) return 'ltrim'
  if (isKeyword(args[0], 'trailing')) return 'rtrim'
  return 'btrim'
}

function skipQualifiedName(tokens: readonly SqlToken[], start: number): number {
  let i = start + 1
  while (isPunct(tokens[i], '.') && tokens[i + 1]?.kind === 'ident') i += 2
  return i
}

/** Reads a type name after `::` or `AS`: words, an optional `(typmod)`, `[]` suffixes; returns its column name. */
function readTypeName(tokens: readonly SqlToken[], start: number): { name: string; next: number } {
  const words: string[] = []
  let i = start
  while (tokens[i]?.kind === 'ident' || (words.length > 0 && isPunct(tokens[i], '.'))) {
    const token = tokens[i] as SqlToken
    if (token.kind === 'ident') {
      if (words.length > 0 && !isTypeWordContinuation(token)) break
      words.push(token.value)
    } else words.length = 0 // a qualified name keeps its last part
    i++
  }
  if (isPunct(tokens[i], '(')) i = matchingClose(tokens, i) + 1
  // `timestamp(3) with time zone` puts the typmod before the zone words.
  while (tokens[i]?.kind === 'ident' && isTypeWordContinuation(tokens[i] as SqlToken)) {
    words.push((tokens[i] as SqlToken).value)
    i++
  }
  while (isPunct(tokens[i], '[')) i = matchingClose(tokens, i) + 1
  return { name: typeName(words), next: i <= 0 ? tokens.length + 1 : i }
}

function isTypeWordContinuation(token: SqlToken): boolean {
  if (token.kind !== 'ident' || token.quoted) return false
  return ['precision', 'varying', 'character', 'with', 'without', 'time', 'zone'].includes(token.value)
}

function typeName(words: readonly string[]): string {
  const spelled = words.join(' ')
  return systemTypeNames[spelled] ?? words[words.length - 1] ?? 'expr'
}
