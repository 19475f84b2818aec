import type { Connection } from '../db/connection.js'
import { sqlErrorAt } from '../db/sql-error.js'
import type { DialectName } from '../dialect/registry.js'
import { loadRuntime, runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import type { ParsedStatement } from '../lint/sql/parse.js'
import { stripPgDumpMeta } from '../source/psql-meta.js'
import { statementHash } from './checksum.js'
import { postgresDuration } from './directives.js'
import { migrationFilePath } from './display-path-memo.js'

/** A statement of a migration file, ready to run: parsed, located, hashed. */
export interface PreparedStatement extends ParsedStatement {
  /** Path of the file for messages (relative to the working directory). */
  readonly file: string
  readonly hash: string
}

/**
 * What runs as one commit. Every statement PostgreSQL accepts in a transaction block runs in one, and
 * that transaction also writes the journal's progress, so that a statement's effect and its record
 * commit together or not at all (a runner killed mid-statement cannot leave an effect the journal
 * does not know of: its server session may well finish the statement, and then commits it together
 * with the journal row, or rolls both back; see run-transaction-unit.ts).
 * Only what PostgreSQL refuses in a transaction block runs `alone` (bare, autocommitted); how a resume
 * decides about such a statement is in resume.ts.
 */
export type Unit =
  | { readonly kind: 'transaction'; readonly statements: readonly PreparedStatement[] }
  | { readonly kind: 'alone'; readonly statement: PreparedStatement }

export interface GroupOptions {
  /**
   * Whether the server runs `ALTER TYPE ... ADD VALUE` in a transaction block (PostgreSQL 12 and later;
   * default true). The new value is unusable until that transaction commits, so the statement gets a
   * transaction of its own either way; before 12 it runs alone.
   */
  readonly enumValuesInTransaction?: boolean
}

/**
 * Parses a migration file into statements, as the dialect splits them; transaction control (BEGIN,
 * COMMIT) is refused.
 */
export async function prepareStatements(
  file: string,
  text: string,
  dialect: DialectName,
): Promise<readonly PreparedStatement[]> {
  const display = migrationFilePath(file)
  const { runner } = await loadRuntime(dialect)
  // A pg_dump pasted in as a baseline migration starts with psql's \restrict line (see stripPgDumpMeta).
  const statements = await runner.parseStatements(stripPgDumpMeta(text), display)
  const control = statements.find((s) => runner.isTransactionControl(s))
  if (control !== undefined) {
    throw new KeelError(
      'MIGRATION_SQL',
      `${display}:${control.line}: ${control.sql.split(/\s/)[0]?.toUpperCase()}: transaction control is not allowed in a migration file`,
    )
  }
  return statements.map((s) => ({ ...s, file: display, hash: statementHash(s.sql) }))
}

/**
 * Groups statements into units (see {@link Unit}), keeping their order: consecutive ordinary statements
 * share a transaction; under `-- keel:no-transaction` each ordinary statement has a transaction of its
 * own (a batched backfill still commits batch by batch, each batch with its journal progress); a
 * statement PostgreSQL refuses in a transaction block runs alone; VALIDATE CONSTRAINT always commits
 * on its own (see {@link isConstraintValidation}).
 */
export function groupStatements(
  statements: readonly PreparedStatement[],
  noTransaction: boolean,
  options: GroupOptions = {},
): readonly Unit[] {
  const units: Unit[] = []
  let group: PreparedStatement[] = []
  const flush = () => {
    if (group.length > 0) units.push({ kind: 'transaction', statements: group })
    group = []
  }
  for (const statement of statements) {
    const placement = placementOf(statement, noTransaction, options)
    if (placement === 'group') {
      group.push(statement)
      continue
    }
    flush()
    units.push(placement === 'alone' ? { kind: 'alone', statement } : { kind: 'transaction', statements: [statement] })
  }
  flush()
  return units
}

/** Where one statement runs: with its neighbours, in a transaction of its own, or alone (no transaction). */
function placementOf(
  statement: PreparedStatement,
  noTransaction: boolean,
  options: GroupOptions,
): 'group' | 'own-transaction' | 'alone' {
  if (isEnumValueAddition(statement)) return options.enumValuesInTransaction === false ? 'alone' : 'own-transaction'
  if (statement.nonTransactional !== undefined) return 'alone'
  if (isConstraintValidation(statement)) return 'own-transaction'
  return noTransaction ? 'own-transaction' : 'group'
}

/**
 * `ALTER TABLE ... VALIDATE CONSTRAINT`: the second half of an online-safe `ADD CONSTRAINT ... NOT VALID`,
 * so it gets a commit before it. In one transaction with the NOT VALID step (or with anything else that
 * locked the table), the stronger lock taken before (ACCESS EXCLUSIVE for a check, SHARE ROW EXCLUSIVE
 * for a foreign key) would be held through the validating scan and block writers for all of it, which is
 * exactly what splitting the constraint avoids; alone, the scan holds only SHARE UPDATE EXCLUSIVE.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT
 */
export function isConstraintValidation(statement: Pick<PreparedStatement, 'node'>): boolean {
  const { node } = statement
  return (
    'AlterTableStmt' in node &&
    (node.AlterTableStmt.cmds ?? []).some(
      (cmd) => 'AlterTableCmd' in cmd && cmd.AlterTableCmd.subtype === 'AT_ValidateConstraint',
    )
  )
}

/** `ALTER TYPE ... ADD VALUE` (not RENAME VALUE). */
export function isEnumValueAddition(statement: Pick<PreparedStatement, 'node'>): boolean {
  return 'AlterEnumStmt' in statement.node && statement.node.AlterEnumStmt.oldVal === undefined
}

/**
 * Whether an error is PostgreSQL refusing a statement in a transaction block (SQLSTATE 25001,
 * active_sql_transaction: "REINDEX TABLE cannot run inside a transaction block"). Parsing cannot see
 * every such case (REINDEX or CLUSTER of a partitioned table is refused, of a plain one not), so in a
 * no-transaction migration a statement refused this way runs again alone: the refusal comes before
 * the statement does anything, and its transaction is rolled back.
 */
export function isRefusedInTransaction(dialect: DialectName, error: unknown): boolean {
  const cause = error instanceof StatementFailure ? error.cause : error
  return runtimeOf(dialect).runner.isRefusedInTransaction(cause)
}

export function unitStatements(unit: Unit): readonly PreparedStatement[] {
  return unit.kind === 'alone' ? [unit.statement] : unit.statements
}

/**
 * Runs a unit with nothing journaled (seeds, a down's units): its statements in a transaction, or the
 * statement alone. In a no-transaction file, a statement PostgreSQL refuses in a transaction block
 * runs alone instead (see {@link isRefusedInTransaction}).
 */
export async function execUnit(conn: Connection, unit: Unit, noTransaction: boolean): Promise<void> {
  if (unit.kind === 'alone') return execStatement(conn, unit.statement)
  try {
    await conn.transaction(async (tx) => {
      for (const statement of unit.statements) await execStatement(tx, statement)
    })
  } catch (error) {
    const [only] = unit.statements
    if (
      !noTransaction ||
      only === undefined ||
      unit.statements.length !== 1 ||
      !isRefusedInTransaction(conn.dialect, error)
    )
      throw error
    await execStatement(conn, only)
  }
}

/** Where a failure lies within its statement, when more is known than the statement alone. */
export interface FailurePlace {
  /** 1-based position of the error within `statement.sql` (a JS string index + 1), from the server's position. */
  readonly position?: number
  /**
   * The line of the last statement of a transaction that failed as a whole without saying where (a
   * lock timeout): the failure lies somewhere from `statement.line` to this line.
   */
  readonly lastLine?: number
  /** What to call the place instead of `file:line`: a plan's step (`step 3 (Add column ...)`), which has no file. */
  readonly label?: string
}

/** A statement failed; carries the statement so that the message can name its file and line. */
export class StatementFailure extends Error {
  constructor(
    readonly statement: PreparedStatement,
    override readonly cause: unknown,
    readonly place: FailurePlace = {},
  ) {
    super(cause instanceof Error ? cause.message : String(cause))
  }

  /** `file:line` of the statement, or `file:first-last` for a failure somewhere in a transaction. */
  get where(): string {
    if (this.place.label !== undefined) return this.place.label
    const { file, line } = this.statement
    const last = this.place.lastLine
    return last === undefined || last === line ? `${file}:${line}` : `${file}:${line}-${last}`
  }

  /** `file:line: message (SQLSTATE ...)` with the server's detail. */
  located(): KeelError {
    const { file, line } = this.statement
    const error = sqlErrorAt(this.serverFields(), this.statement.sql, { file, line })
    // Without a server position (a runtime error), the statement's own line is the place to look.
    const message = error.message.startsWith(`${file}: `)
      ? `${this.where}: ${error.message.slice(file.length + 2)}`
      : error.message
    return new KeelError(error.code, message, error.hint, { cause: this.cause })
  }

  get sqlstate(): string | undefined {
    return (this.cause as { code?: string }).code
  }

  /** The server's error fields, with the position made relative to this statement when it was sent in a batch. */
  private serverFields(): unknown {
    const position = this.place.position
    if (position === undefined) return this.cause
    const { message, code, detail, hint } = this.cause as Record<string, unknown>
    return { message, code, detail, hint, position }
  }
}

/** Runs one statement, tagging a failure with the statement. */
export async function execStatement(conn: Connection, statement: PreparedStatement): Promise<void> {
  try {
    await conn.exec(statement.sql)
  } catch (error) {
    throw new StatementFailure(statement, error)
  }
}

/** The session settings of one migration: cleared of anything the previous one set, then the timeouts. */
export function sessionSetup(lockTimeout: string, statementTimeout: string, dialect: DialectName): string {
  const [lock, statement] = [lockTimeout, statementTimeout].map((value) => {
    const duration = postgresDuration(value)
    if (duration === undefined) {
      throw new KeelError('CONFIG', `not a duration: "${value}"`, 'Use a duration such as 5s, 500ms or 2m.')
    }
    return duration
  })
  // The values are restricted to digits and a unit by postgresDuration, so the dialect may quote them as it likes.
  return runtimeOf(dialect).runner.sessionSetup(lock ?? lockTimeout, statement ?? statementTimeout)
}

/**
 * Whether a server error is one the runner retries (lock-retry.ts) (the DDL gave way to other sessions), as the
 * dialect of the connection that raised it says: MySQL reports SQLSTATEs too, so asking every dialect could let
 * one claim another's error.
 */
export function isRetryable(dialect: DialectName, error: unknown): boolean {
  return runtimeOf(dialect).runner.isRetryable(error)
}
