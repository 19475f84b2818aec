import { KeelError } from '../../../errors.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'
import { isMysqlSessionSetting } from './session-setting.js'
import { maskedStatement, sessionStateUse } from './session-state.js'
import { topLevelCommaSplit } from './statement-text.js'

/**
 * A value whose assignment to a user variable can run again on a new session without changing anything and
 * gives the value the rest of the migration expects: a literal, or a system variable (`SET @keel_sql_mode =
 * @@SESSION.sql_mode`, mysqldump's `SET @OLD_SQL_MODE = @@SQL_MODE`), read on the new session, which is what
 * the statement that puts it back should put back there. Strings are blanked by maskedStatement.
 */
const REPLAYABLE_VALUE =
  /^(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|(?:_\w+\s*)?'[^']*'|(?:_\w+\s*)?"[^"]*"|NULL|TRUE|FALSE|0x[0-9a-f]+|[xb]'[^']*'|@@(?:(?:SESSION|LOCAL|GLOBAL)\.)?[A-Za-z_][\w$]*)$/i

const USER_TARGET = /^\s*@(?!@)(?:[A-Za-z0-9_$.]+|`(?:[^`]|``)*`|'(?:[^']|'')*'|"(?:[^"]|"")*")\s*:?=\s*/

/** The migration being resumed: its id for messages, its version for `keel resolve`. */
export interface MigrationName {
  readonly id: string
  readonly version: string
}

/** Where a piece of session state came from: the committed statement that made it, and how. */
interface Origin {
  readonly statement: ParsedStatement
  readonly how: string
}

/**
 * The committed statements of a partial migration that a resume runs again, in order, on its new session
 * before the rest (without journaling them): the session settings (`SET sql_mode`, `SET NAMES`, `SET SESSION
 * TRANSACTION ...`), and the user variables they set from a literal or a system variable. Nothing else runs
 * twice: a user variable set from anything else (`SET @n = (SELECT ...)`, `SET @id = UUID()`, a function
 * that writes) may take another value or change data again, and `SELECT ... INTO @x`, `@x :=`, temporary
 * tables and prepared statements are not settings at all. None of these is needed if the rest does not read
 * it; if it does, the resume stops with PARTIAL_MIGRATION rather than run the rest without it or guess it.
 */
export function mysqlSessionReplay<S extends ParsedStatement>(
  committed: readonly S[],
  rest: readonly S[],
  migration: MigrationName,
): readonly S[] {
  const replay: S[] = []
  const lost = new Map<string, Origin>()
  for (const statement of committed) {
    const use = sessionStateUse(statement.sql, new Set(lost.keys()))
    if (isMysqlSessionSetting(statement.sql)) {
      const unrepeatable = unrepeatableVariables(statement.sql)
      if (unrepeatable.length === 0) {
        const read = use.reads.find((state) => lost.has(state))
        if (read !== undefined)
          throw relied(migration, statement, read, lost.get(read) as Origin, committed, rest, true)
        replay.push(statement)
        for (const state of use.writes) lost.delete(state)
        continue
      }
      if (topLevelCommaSplit(setBody(statement.sql)).some((assignment) => !USER_TARGET.test(assignment)))
        throw mixedSetting(migration, statement, unrepeatable, committed, rest)
    }
    for (const state of use.drops) lost.delete(state)
    for (const state of use.writes)
      if (!use.drops.includes(state)) lost.set(state, { statement, how: use.how || 'SET' })
  }
  for (const statement of rest) {
    if (lost.size === 0) break
    const use = sessionStateUse(statement.sql, new Set(lost.keys()))
    const read = use.reads.find((state) => lost.has(state))
    if (read !== undefined) throw relied(migration, statement, read, lost.get(read) as Origin, committed, rest, false)
    for (const state of use.writes) lost.delete(state)
  }
  return replay
}

/** The assignments list of a `SET ...` statement, strings blanked. */
function setBody(sql: string): string {
  return maskedStatement(sql)
    .trim()
    .replace(/^SET\s+/i, '')
}

/** The user variables a session-setting SET assigns from something that must not run twice. */
function unrepeatableVariables(sql: string): readonly string[] {
  const body = setBody(sql)
  if (/^(?:NAMES|CHARACTER\s+SET|CHARSET|ROLE|SESSION\s+TRANSACTION)\b/i.test(body)) return []
  return topLevelCommaSplit(body)
    .map((assignment) => ({ target: USER_TARGET.exec(assignment), assignment }))
    .filter(({ target, assignment }) => target && !REPLAYABLE_VALUE.test(assignment.slice(target[0].length).trim()))
    .map(({ target }) => (target?.[0] ?? '').replace(/\s*:?=\s*$/, '').trim())
}

const where = (s: ParsedStatement) => `line ${s.line} (statement ${s.index + 1})`
const shown = (s: ParsedStatement) => {
  const flat = s.sql.replace(/\s+/g, ' ')
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat
}

/** What a person can do instead: finish the migration by hand in one session, or undo it. */
function hint(version: string, committed: readonly ParsedStatement[], rest: readonly ParsedStatement[]): string {
  const first = committed.length + 1
  const last = committed.length + rest.length
  return `Keel runs nothing twice and does not guess session state. Either run statements ${first} to ${last} by hand in one session after making that state again, then \`keel resolve ${version} --applied\`; or undo what statements 1 to ${committed.length} did, then \`keel resolve ${version} --rolled-back\` and \`keel migrate\`. To avoid this, set such state in the statement that reads it, or in a TypeScript migration.`
}

function relied(
  migration: MigrationName,
  reader: ParsedStatement,
  state: string,
  origin: Origin,
  committed: readonly ParsedStatement[],
  rest: readonly ParsedStatement[],
  replayed: boolean,
): KeelError {
  const by = `${where(origin.statement)}, committed before the migration stopped, made ${state} (${origin.how}: ${shown(origin.statement)})`
  const reads = replayed
    ? `${where(reader)}, a session setting that a resume would run again, reads it`
    : `${where(reader)}, still to run, reads it`
  return new KeelError(
    'PARTIAL_MIGRATION',
    `${migration.id}: cannot resume on a new session: ${by}, and ${reads}; ${state} does not exist on the new session and Keel does not run ${where(origin.statement)} again`,
    hint(migration.version, committed, rest),
  )
}

function mixedSetting(
  migration: MigrationName,
  statement: ParsedStatement,
  variables: readonly string[],
  committed: readonly ParsedStatement[],
  rest: readonly ParsedStatement[],
): KeelError {
  return new KeelError(
    'PARTIAL_MIGRATION',
    `${migration.id}: cannot resume on a new session: ${where(statement)} sets session variables together with ${variables.join(', ')} from an expression that Keel does not run twice (${shown(statement)}), so its settings cannot be put back alone`,
    `${hint(migration.version, committed, rest)} Give the user variables a SET statement of their own.`,
  )
}
