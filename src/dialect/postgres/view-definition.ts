/**
 * PostgreSQL 15 and older print every column of a view's top-level query with its relation's name
 * (`SELECT users.id FROM users`), because a view's range table held two hidden entries (OLD and NEW)
 * besides the relation it reads. PostgreSQL 16 removed them, and since then a query over one relation
 * prints bare columns (`SELECT id FROM users`). This file rewrites the old spelling into the new one, so
 * that one schema introspects the same on every server version.
 *
 * Only the top-level query of a view that reads exactly one relation (or one subquery or function) is
 * rewritten: sub-selects, CTE bodies and set-operation arms are printed qualified by both versions.
 */

interface Token {
  readonly text: string
  readonly kind: 'space' | 'word' | 'quoted' | 'string' | 'number' | 'punct'
}

const CLAUSE_ENDS = new Set(['WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'FOR', ';'])
const SUBQUERY_STARTS = new Set(['SELECT', 'VALUES', 'WITH', 'TABLE'])
const SET_OPERATIONS = new Set(['UNION', 'INTERSECT', 'EXCEPT'])
const WITH = new Set(['WITH'])
const SELECT = new Set(['SELECT'])

/** Rewrites a PostgreSQL 15 view definition into the spelling of PostgreSQL 16+ (see the file comment). */
export function unqualifySingleRelationView(definition: string): string {
  const tokens = tokenize(definition)
  const scope = outerScope(tokens)
  const topLevel = tokens.flatMap((token, index) => (token.kind === 'space' || scope[index] !== 0 ? [] : [index]))
  // The main SELECT: the first token, or the first top-level SELECT after a WITH list (CTE bodies are
  // parenthesised subqueries, printed alike by both versions).
  const first = topLevel[0] ?? -1
  const start = isKeyword(tokens[first], WITH) ? topLevel.find((i) => isKeyword(tokens[i], SELECT)) : first
  if (start === undefined || !isKeyword(tokens[start], SELECT)) return definition
  const main = topLevel.filter((i) => i > start)
  if (main.some((i) => isKeyword(tokens[i], SET_OPERATIONS))) return definition
  const froms = main.filter((i) => tokens[i]?.kind === 'word' && tokens[i]?.text.toUpperCase() === 'FROM')
  if (froms.length !== 1) return definition
  const from = froms[0] ?? 0
  const end = main.find((i) => i > from && isKeyword(tokens[i], CLAUSE_ENDS)) ?? tokens.length
  const refname = fromItemName(tokens, scope, from + 1, end)
  if (refname === undefined) return definition
  const removed = new Set<number>()
  for (let i = start; i < tokens.length; i++) {
    if (scope[i] === -1 || (i > from && i < end)) continue
    if (isQualifier(tokens, i, refname)) {
      removed.add(i)
      removed.add(i + 1)
    }
  }
  return tokens
    .filter((_, i) => !removed.has(i))
    .map((t) => t.text)
    .join('')
}

function isKeyword(token: Token | undefined, words: ReadonlySet<string>): boolean {
  return token !== undefined && (token.kind === 'word' || token.kind === 'punct') && words.has(token.text.toUpperCase())
}

function isName(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted')
}

/** `refname` `.` `column`, not part of a longer dotted name, a type after `::`, or a function call. */
function isQualifier(tokens: readonly Token[], i: number, refname: string): boolean {
  const token = tokens[i]
  if (!isName(token) || token?.text !== refname) return false
  if (tokens[i + 1]?.text !== '.' || !isName(tokens[i + 2]) || tokens[i + 3]?.text === '(') return false
  const before = previousSignificant(tokens, i)
  return before?.text !== '.' && before?.text !== '::'
}

function previousSignificant(tokens: readonly Token[], i: number): Token | undefined {
  for (let j = i - 1; j >= 0; j--) if (tokens[j]?.kind !== 'space') return tokens[j]
  return undefined
}

/**
 * For each token: 0 at the top level, n > 0 inside n levels of expression parentheses, -1 inside a
 * parenthesised subquery (a sub-select, a FROM subquery, a CTE body), which both versions print alike.
 */
function outerScope(tokens: readonly Token[]): number[] {
  const scope: number[] = []
  // Whether each open parenthesis holds a subquery, and how many of them do: one pass, however deep the nesting.
  const stack: boolean[] = []
  let subqueries = 0
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token?.text === '(') {
      scope.push(subqueries > 0 ? -1 : stack.length)
      const opensSubquery = isKeyword(nextSignificant(tokens, i), SUBQUERY_STARTS)
      stack.push(opensSubquery)
      if (opensSubquery) subqueries++
    } else if (token?.text === ')') {
      if (stack.pop() === true) subqueries--
      scope.push(subqueries > 0 ? -1 : stack.length)
    } else {
      scope.push(subqueries > 0 ? -1 : stack.length)
    }
  }
  return scope
}

function nextSignificant(tokens: readonly Token[], i: number): Token | undefined {
  for (let j = i + 1; j < tokens.length; j++) if (tokens[j]?.kind !== 'space') return tokens[j]
  return undefined
}

/**
 * The name columns of the single FROM item are qualified with: its alias, else the relation's (or
 * function's) own name. Undefined when the FROM clause has a join, a comma, or anything unexpected.
 */
function fromItemName(
  tokens: readonly Token[],
  scope: readonly number[],
  start: number,
  end: number,
): string | undefined {
  // The FROM item at the top level, with each parenthesised group reduced to one '()' marker.
  const items: string[] = []
  const texts: string[] = []
  for (let i = start; i < end; i++) {
    const token = tokens[i]
    if (token === undefined || token.kind === 'space') continue
    if (scope[i] !== 0) continue
    if (token.text === '(' || token.text === ')') {
      if (token.text === '(') items.push('()')
      if (token.text === '(') texts.push('()')
      continue
    }
    if (token.text === ',' || (token.kind === 'word' && token.text.toUpperCase() === 'JOIN')) return undefined
    items.push(token.kind === 'word' || token.kind === 'quoted' ? 'name' : token.text)
    texts.push(token.text)
  }
  let i = items[0] === 'name' && texts[0]?.toUpperCase() === 'ONLY' ? 1 : 0
  let own: string | undefined
  if (items[i] === '()') i++
  else {
    while (items[i] === 'name') {
      own = texts[i]
      if (items[i + 1] !== '.') break
      i += 2
    }
    if (own === undefined) return undefined
    i++
    if (items[i] === '()') i++
  }
  if (items[i] === 'name' && texts[i]?.toUpperCase() === 'AS') i++
  const alias = items[i] === 'name' ? texts[i] : undefined
  if (alias !== undefined) i++
  if (items[i] === '()') i++
  if (i !== items.length) return undefined
  return alias ?? own
}

/**
 * The token patterns, tried in order at one position (sticky: each matches only where it starts, so the text is
 * never copied): whitespace, escape and plain strings, quoted identifiers, numbers, words, `::`; where none
 * matches, one character is a token (`tokenize`).
 */
const TOKEN_PATTERNS = [
  /\s+/y,
  /[Ee]'(?:[^'\\]|\\.|'')*'/y,
  /'(?:[^']|'')*'/y,
  /"(?:[^"]|"")*"/y,
  /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y,
  /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y,
  /::/y,
]

/** Splits SQL as ruleutils prints it into tokens whose texts concatenate back to the input. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < sql.length) {
    let text: string | undefined
    for (const pattern of TOKEN_PATTERNS) {
      pattern.lastIndex = i
      text = pattern.exec(sql)?.[0]
      if (text !== undefined) break
    }
    // No pattern: one character (a code unit, as `[\s\S]` took it).
    text ??= sql.charAt(i)
    tokens.push({ text, kind: kindOf(text) })
    i += text.length
  }
  return tokens
}

function kindOf(text: string): Token['kind'] {
  if (/^\s/.test(text)) return 'space'
  if (/^[Ee]?'/.test(text)) return 'string'
  if (text.startsWith('"')) return 'quoted'
  if (/^\d/.test(text)) return 'number'
  if (/^[A-Za-z_\u0080-\uffff]/.test(text)) return 'word'
  return 'punct'
}
