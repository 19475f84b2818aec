import { anyRunner } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { isSqlstate } from './sqlstate.js'
import { redactUrl } from './url.js'

/** Fields PostgreSQL puts on an error (pg and PGlite both expose them). */
interface ServerErrorFields {
  readonly message?: string
  readonly code?: string
  readonly position?: string | number
  readonly detail?: string
  readonly hint?: string
}

/** Where in a file a SQL text came from, so that errors can name file and line. */
export interface SqlOrigin {
  readonly file: string
  /** Line of the file on which `sql` starts (1-based). */
  readonly line?: number
}

/**
 * Turns a server error raised while running `sql` into a KeelError naming file and line.
 * PostgreSQL reports a 1-based character `position` into the submitted text; we turn it into a line.
 */
export function sqlErrorAt(error: unknown, sql: string, origin: SqlOrigin): KeelError {
  // A dropped connection says nothing about the SQL: keep its code, add where it happened.
  if (error instanceof KeelError && error.code === 'CONNECTION_LOST') {
    return new KeelError(error.code, `${origin.file}: ${error.message}`, error.hint, { cause: error })
  }
  const fields = error as ServerErrorFields
  const position = fields.position === undefined ? undefined : Number(fields.position)
  const lineInSql = position === undefined || Number.isNaN(position) ? undefined : lineOfOffset(sql, position - 1)
  const line = lineInSql === undefined ? undefined : lineInSql + (origin.line ?? 1) - 1
  const where = line === undefined ? origin.file : `${origin.file}:${line}`
  const label = fields.code ? ` (${codeLabel(fields.code)})` : ''
  const detail = fields.detail ? `\n  detail: ${fields.detail}` : ''
  const code = anyRunner((runner) => runner.isSyntaxError?.(error) === true) ? 'SQL_SYNTAX' : 'SQL_ERROR'
  return new KeelError(
    code,
    `${where}: ${redactUrl(fields.message ?? String(error))}${label}${detail}`,
    fields.hint ?? undefined,
    { cause: error },
  )
}

/**
 * A driver's error code as messages show it: a five-character SQLSTATE (the SQL standard's, which PostgreSQL and
 * MySQL report) as `SQLSTATE 42P01`; any other code (SQLite's `SQLITE_CONSTRAINT_UNIQUE`, Node's `EPIPE`) as it is.
 */
export function codeLabel(code: string): string {
  return isSqlstate(code) ? `SQLSTATE ${code}` : code
}

/** The 1-based line number of a 0-based character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++
  return line
}
