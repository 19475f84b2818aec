import { stripComments, topLevelCommaSplit } from './statement-text.js'

/**
 * Whether a migration statement only sets state of its session, which a resume on a new session runs again
 * (without journaling it) before the statements after it: `SET [SESSION | LOCAL] var = ...`, `SET @@[session.]var`,
 * `SET NAMES`, `SET CHARACTER SET`, `SET ROLE`, `SET SESSION TRANSACTION ...`, and user variables (`SET @v = ...`;
 * which of those may run again is session-replay.ts's decision). Keel's own routines and
 * triggers are written as `SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = '...'`, CREATE, then
 * `SET SESSION sql_mode = @keel_sql_mode`: the CREATE needs the mode and the restore needs the variable, which
 * holds the new session's own mode once run again there (what the restore should put back).
 *
 * Not: SET GLOBAL / PERSIST / PERSIST_ONLY / @@global (the server's, not lost with a session), SET PASSWORD and
 * SET DEFAULT ROLE (accounts), SET TRANSACTION without SESSION (the next transaction only), MariaDB's
 * SET STATEMENT ... FOR (a statement under settings, not a setting).
 */
export function isMysqlSessionSetting(sql: string): boolean {
  const text = stripComments(sql).trim().replace(/\s+/g, ' ')
  const body = /^SET (.*)$/is.exec(text)?.[1]
  if (body === undefined) return false
  if (/^(NAMES|CHARACTER SET|CHARSET)\b/i.test(body)) return true
  if (/^ROLE\b/i.test(body)) return true
  // SET SESSION TRANSACTION takes several characteristics, comma-separated: one statement, not assignments.
  if (/^SESSION TRANSACTION\b/i.test(body)) return true
  if (/^(PASSWORD|DEFAULT ROLE|STATEMENT|TRANSACTION)\b/i.test(body)) return false
  const assignments = topLevelCommaSplit(body).map((a) => a.trim())
  return assignments.every(
    (a) =>
      !/^(GLOBAL|PERSIST|PERSIST_ONLY)\b/i.test(a) &&
      !/^@@(GLOBAL|PERSIST|PERSIST_ONLY)\./i.test(a) &&
      /^(?:(?:SESSION|LOCAL) (?:TRANSACTION\b|[A-Za-z_][\w.$]* ?:?=)|@@(?:(?:SESSION|LOCAL)\.)?[A-Za-z_][\w.$]* ?:?=|@(?:[\w.$]+|`(?:[^`]|``)+`|'(?:[^']|'')*'|"(?:[^"]|"")*") ?:?=|[A-Za-z_][\w.$]* ?:?=)/i.test(
        a,
      ),
  )
}
