import { skipQuotedOrComment } from '../../../db/drivers/mysql-parameters.js'
import { stripComments, topLevelCommaSplit } from './statement-text.js'

/**
 * State that lives in a MySQL session and dies with it: user variables (`@total`), temporary tables and prepared
 * statements. A resume runs the rest of a migration on a new session, where none of it exists; session-replay.ts
 * decides from these uses whether the rest relied on state that the committed statements made. Each piece of state
 * is named as a person reads it (`@total`, `temporary table tmp_ids`, `prepared statement s`), which serves as its
 * key and in messages. User variable names are not case-sensitive; table and statement names are compared without
 * case too, which at worst refuses a resume that a case-sensitive server would have allowed.
 */
export interface SessionStateUse {
  /** State the statement reads, in the order written. */
  readonly reads: readonly string[]
  /** State the statement sets, creates, or (a temporary table, a prepared statement) drops. */
  readonly writes: readonly string[]
  /** Of those, what no longer exists after the statement (DROP TEMPORARY TABLE, DEALLOCATE PREPARE). */
  readonly drops: readonly string[]
  /** How the statement sets state, for messages: `SELECT ... INTO`, `:=`, `SET`. */
  readonly how: string
}

/**
 * A stored program's body runs when called, not when created: its `@x` are neither read nor set by the CREATE.
 * (A later CALL of it may read what the committed statements set; Keel cannot see into that.)
 */
const STORED_PROGRAM =
  /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*(?:CURRENT_USER(?:\s*\(\s*\))?|(?:'[^']*'|`[^`]*`|"[^"]*"|[\w$.]+)(?:\s*@\s*(?:'[^']*'|`[^`]*`|"[^"]*"|[\w$.%-]+))?)\s+)?(?:AGGREGATE\s+)?(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/i

/** A user variable reference: not `@@system`, not the host of `'user'@'host'` or `user@host`. */
const USER_VARIABLE = /(?<![@\w$.'"`])@(?!@)([A-Za-z0-9_$.]+|`(?:[^`]|``)*`|'(?:[^']|'')*'|"(?:[^"]|"")*")/g

/** A name as MySQL compares it: unquoted, lower case. */
function plainName(name: string): string {
  const quoted = /^([`'"])([\s\S]*)\1$/.exec(name)
  return (quoted ? (quoted[2] ?? '').replaceAll(`${quoted[1]}${quoted[1]}`, quoted[1] ?? '') : name).toLowerCase()
}

const variable = (name: string) => `@${plainName(name)}`
const IDENT = '(`(?:[^`]|``)+`|[\\w$]+)'
const QUALIFIED = `(?:${IDENT}\\s*\\.\\s*)?${IDENT}`

/**
 * The statement with comments gone (executable comments kept as their SQL) and the inside of every string and
 * quoted name blanked, so that patterns match only SQL; quoted user variable names (`@'x'`) are kept.
 */
export function maskedStatement(sql: string): string {
  const text = stripComments(sql)
  let out = ''
  for (let i = 0; i < text.length; ) {
    const skip = skipQuotedOrComment(text, i)
    if (skip > i) {
      const piece = text.slice(i, skip)
      const userVariableName = text[i - 1] === '@' && text[i - 2] !== '@' && !/[\w$.'"`]/.test(text[i - 2] ?? '')
      out +=
        userVariableName || piece[0] === '`'
          ? piece
          : `${piece[0]}${' '.repeat(Math.max(0, piece.length - 2))}${piece.length > 1 ? piece.at(-1) : ''}`
      i = skip
      continue
    }
    out += text[i]
    i++
  }
  return out
}

/**
 * What session state a statement reads and sets. `known` names the temporary tables and prepared statements
 * that may be read (a table name alone does not say that it is a temporary one).
 */
export function sessionStateUse(sql: string, known: ReadonlySet<string> = new Set()): SessionStateUse {
  const text = maskedStatement(sql).trim()
  if (STORED_PROGRAM.test(text)) return { reads: [], writes: [], drops: [], how: '' }
  const reads: string[] = []
  const writes: string[] = []
  const drops: string[] = []
  let how = ''
  const setBody = /^SET\s+(?!TRANSACTION\b|STATEMENT\b|PASSWORD\b|DEFAULT\s+ROLE\b|ROLE\b|NAMES\b|CHARACTER\s+SET\b)/i
  if (setBody.test(text)) {
    // SET @a = expr, b = expr: each target is set, each expression read (a target is not read by its own SET).
    for (const assignment of topLevelCommaSplit(text.replace(setBody, ''))) {
      const target = /^\s*@(?!@)([A-Za-z0-9_$.]+|`(?:[^`]|``)*`|'(?:[^']|'')*'|"(?:[^"]|"")*")\s*:?=/.exec(assignment)
      if (target) {
        writes.push(variable(target[1] ?? ''))
        how = 'SET'
      }
      variablesIn(assignment.slice(target?.[0].length ?? 0), reads, writes)
    }
  } else {
    const before = writes.length
    variablesIn(text, reads, writes)
    if (writes.length > before) how = /\bINTO\s+@/i.test(text) ? 'SELECT ... INTO' : ':='
  }
  const temporary = new RegExp(`^CREATE\\s+TEMPORARY\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${QUALIFIED}`, 'i').exec(
    text,
  )
  if (temporary) {
    writes.push(`temporary table ${plainName(temporary[2] ?? '')}`)
    how ||= 'CREATE TEMPORARY TABLE'
  }
  const dropTemporary = /^DROP\s+TEMPORARY\s+TABLE\s+(?:IF\s+EXISTS\s+)?([\s\S]*)$/i.exec(text)
  for (const name of dropTemporary ? topLevelCommaSplit(dropTemporary[1] ?? '') : [])
    drops.push(`temporary table ${plainName(name.trim().split('.').at(-1) ?? '')}`)
  const prepare = new RegExp(`^PREPARE\\s+${IDENT}\\s+FROM\\b`, 'i').exec(text)
  if (prepare) {
    writes.push(`prepared statement ${plainName(prepare[1] ?? '')}`)
    how ||= 'PREPARE'
  }
  const prepared = new RegExp(`^(?:EXECUTE|DEALLOCATE\\s+PREPARE|DROP\\s+PREPARE)\\s+${IDENT}`, 'i').exec(text)
  if (prepared) {
    reads.push(`prepared statement ${plainName(prepared[1] ?? '')}`)
    if (!/^EXECUTE/i.test(text)) drops.push(`prepared statement ${plainName(prepared[1] ?? '')}`)
  }
  // A temporary table the caller knows of, named anywhere outside its own CREATE or DROP.
  if (!temporary && !dropTemporary)
    for (const state of known) {
      const table = /^temporary table (.*)$/.exec(state)?.[1]
      if (table !== undefined && wordIn(text, table)) reads.push(state)
    }
  return { reads, writes: [...writes, ...drops], drops, how }
}

/** Adds the user variables of an expression or statement: `@x :=` and `INTO @x, @y` set, the rest read. */
function variablesIn(text: string, reads: string[], writes: string[]): void {
  for (const m of text.matchAll(USER_VARIABLE)) {
    const at = m.index ?? 0
    const after = text.slice(at + m[0].length)
    const into = /\bINTO\s+(?:@(?!@)\S+?\s*,\s*)*$/i.test(text.slice(0, at))
    ;(/^\s*:=/.test(after) || into ? writes : reads).push(variable(m[1] ?? ''))
  }
}

/** Whether `name` is a word of the (masked) statement, bare or in backquotes. */
function wordIn(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![\\w$])${escaped}(?![\\w$])|\`${escaped}\``, 'i').test(text)
}
