import { assertNever } from '../assert-never.js'
import type { Connection } from '../db/connection.js'
import type { ResumeVerdict } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { changedStatement } from './checksum.js'
import type { Migration } from './directory.js'
import type { Journal, JournalEntry } from './journal.js'
import { type PreparedStatement, StatementFailure } from './prepare-statements.js'

export type { ResumeVerdict } from '../dialect/runner.js'

/** The journal row of the migration the statement belongs to. */
export interface JournalRow {
  readonly journal: Journal
  readonly version: string
}

/**
 * Decides how to run a statement that runs alone. `interrupted`: the previous runner stopped (was
 * killed, lost its connection) with this statement next, so it may have run, in full or in part,
 * without its progress being journaled; its session may even have finished it after the runner died
 * (the runner waits for such sessions first, see session.ts). Then the dialect decides from the catalog
 * (its runner's `resume` hook; PostgreSQL's is dialect/postgres/runner/resume.ts), and where it cannot, Keel stops with PARTIAL_MIGRATION and points at `keel
 * resolve`. Not interrupted (a first run, or a resume after an error the server reported), only the
 * leftovers of multi-transaction statements are looked for.
 */
export async function resumeVerdict(
  conn: Connection,
  statement: PreparedStatement,
  interrupted: boolean,
  row?: JournalRow,
): Promise<ResumeVerdict> {
  const ownEffect = runtimeOf(conn.dialect).runner.statementEffect
  if (ownEffect !== undefined) {
    if (!interrupted) return { kind: 'run' }
    const effect = await ownEffect(conn, statement.sql)
    if (effect === undefined) throw cannotTell(statement, row)
    if ('repeatable' in effect)
      return {
        kind: 'run',
        notice: `the previous runner stopped at this statement; it runs again (${effect.repeatable})`,
      }
    return effect.done
      ? { kind: 'done', reason: `${effect.object}` }
      : { kind: 'run', notice: `the previous runner stopped at this statement; ${effect.object}, so it runs` }
  }
  const { resume } = runtimeOf(conn.dialect).runner
  if (resume === undefined) {
    if (!interrupted) return { kind: 'run' }
    throw cannotTell(statement, row)
  }
  const ref = row === undefined ? undefined : { conn: row.journal.conn, table: row.journal.table, version: row.version }
  const answer = await resume(conn, statement, interrupted, ref)
  switch (answer.kind) {
    case 'cannot-tell':
      throw cannotTell(statement, row)
    case 'ambiguous':
      throw ambiguousLeftover(statement, answer.suspects)
    case 'run':
    case 'done':
    case 'rebuild':
    case 'finish':
      return answer
    default:
      return assertNever(answer)
  }
}

/**
 * Keel cannot tell whether a statement that ran outside a transaction took effect before the previous
 * runner stopped: it stops, and a person decides with `keel resolve`.
 */
function cannotTell(statement: PreparedStatement, row: JournalRow | undefined): KeelError {
  const n = statement.index + 1
  const version = row?.version ?? 'VERSION'
  return new KeelError(
    'PARTIAL_MIGRATION',
    `${statement.file}:${statement.line}: statement ${n} runs outside a transaction and the previous runner stopped at it; Keel cannot tell from the catalog whether it took effect, so it does not run it again`,
    `Check the database. If the statement took effect, record that with \`keel resolve ${version} --through ${n}\`; if it did not, with \`keel resolve ${version} --through ${n - 1}\`. Then run \`keel migrate\` again.`,
  )
}

/**
 * A failure of the statement, so that it is journaled and reported like one: building the index
 * again would leave every INVALID one in place, and dropping one of them may drop the wrong one.
 */
function ambiguousLeftover(statement: PreparedStatement, suspects: readonly string[]): StatementFailure {
  const cause = Object.assign(
    new Error(
      `INVALID indexes ${suspects.join(', ')} each fit this CREATE INDEX CONCURRENTLY without a name; Keel does not guess which one a failed build left`,
    ),
    {
      detail:
        'drop them with DROP INDEX CONCURRENTLY (an INVALID index serves no query), or name the index in the statement, then run `keel migrate` again',
    },
  )
  return new StatementFailure(statement, cause)
}

/**
 * Checks that the statements a partial migration already committed are still the ones in its file
 * (by hash), so that resuming at the next statement is sound. Statements after them may have been
 * edited: that is how a person fixes the statement that failed.
 */
export function assertResumable(
  migration: Migration,
  entry: JournalEntry,
  statements: readonly PreparedStatement[],
): void {
  const done = entry.completedStatements
  if (statements.length < done) {
    throw new KeelError(
      'CHECKSUM_MISMATCH',
      `${migration.id} is ${entry.status} after ${done} committed statements, but its up now has only ${statements.length}`,
      resumeHint(migration),
    )
  }
  const changed = changedStatement(
    entry.statementHashes,
    statements.slice(0, done).map((s) => s.hash),
  )
  if (changed === undefined) return
  const which =
    changed === 'some'
      ? done === 1
        ? 'statement 1 changed since it ran'
        : `some of statements 1-${done} changed since they ran`
      : `statement ${changed + 1} (${(statements[changed] as PreparedStatement).file}:${(statements[changed] as PreparedStatement).line}) changed since it ran`
  throw new KeelError(
    'CHECKSUM_MISMATCH',
    `${migration.id} is ${entry.status} after ${done} committed statements, but ${which}`,
    resumeHint(migration),
  )
}

function resumeHint(migration: Migration): string {
  return `Only statements after the committed ones may change. Restore them, or decide with \`keel resolve ${migration.version} --applied|--rolled-back\`.`
}
