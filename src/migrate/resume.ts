import type { Connection } from '../db/connection.js'
import { KeelError } from '../errors.js'
import type { Migration } from './directory.js'
import type { Journal, JournalEntry } from './journal.js'
import { quoteIdent } from './journal.js'
import { type PreparedStatement, StatementFailure } from './prepare-statements.js'
import { statementEffect } from './statement-effects.js'

/** What to do with a statement that runs alone, given what the catalog says. */
export type ResumeVerdict =
  | { readonly kind: 'run' }
  /** The statement's effect is already there: it completed just before the previous runner stopped. */
  | { readonly kind: 'done'; readonly reason: string }
  /** A concurrent index build failed or was interrupted and left an INVALID index: drop it, then build again. */
  | { readonly kind: 'rebuild'; readonly reason: string; readonly dropSql: string }

/** The journal row of the migration the statement belongs to. */
export interface JournalRow {
  readonly journal: Journal
  readonly version: string
}

/**
 * Decides how to run a statement that runs alone (outside a transaction). A leftover INVALID index
 * of a `CREATE INDEX CONCURRENTLY` is always dropped and rebuilt; without a name in the statement,
 * the index is the one named and shaped as PostgreSQL would have built it, and when several INVALID
 * indexes fit, Keel stops rather than guess. When the previous runner was interrupted (journal
 * `partial`) right at this statement, the statement may have committed without its progress being
 * journaled: if its effect is fully there, it is recorded as done instead of failing on "already
 * exists" (or, for an index without a name, instead of building a second one).
 */
export async function resumeVerdict(
  conn: Connection,
  statement: PreparedStatement,
  interrupted: boolean,
  row?: JournalRow,
): Promise<ResumeVerdict> {
  const concurrentIndex = 'IndexStmt' in statement.node && statement.node.IndexStmt.concurrent === true
  const resumable = concurrentIndex || 'DropStmt' in statement.node || 'AlterEnumStmt' in statement.node
  if (!resumable || (!interrupted && !concurrentIndex)) return { kind: 'run' }
  const builtAfter = interrupted && row !== undefined ? await lastWrite(row) : undefined
  const effect = await statementEffect(conn, statement, builtAfter === undefined ? {} : { builtAfter })
  if (effect === undefined) return { kind: 'run' }
  if (effect.actual === 'invalid' && 'IndexStmt' in statement.node) {
    const index = statement.node.IndexStmt
    if (effect.suspects !== undefined) throw ambiguousLeftover(statement, effect.suspects)
    const schema = effect.schema ?? index.relation?.schemaname
    const target = `${schema === undefined ? '' : `${quoteIdent(schema)}.`}${quoteIdent((effect.name ?? index.idxname) as string)}`
    return {
      kind: 'rebuild',
      reason: `${effect.object} is INVALID (left by a concurrent build that failed or was interrupted)`,
      dropSql: `DROP INDEX CONCURRENTLY IF EXISTS ${target}`,
    }
  }
  if (interrupted && effect.actual === effect.expected) {
    return { kind: 'done', reason: `${effect.object} is already ${effect.expected}` }
  }
  return { kind: 'run' }
}

/**
 * The transaction that last wrote the journal row, as text. A statement that runs alone starts after
 * that write commits, and its progress is the next write, so for an interrupted statement anything
 * the catalog shows as created later is the statement's own doing.
 */
async function lastWrite({ journal, version }: JournalRow): Promise<string | undefined> {
  const [found] = await journal.conn.query<{ xmin: string }>(
    `select xmin::text as xmin from ${journal.table} where version = $1`,
    [version],
  )
  return found?.xmin
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
  for (let i = 0; i < done; i++) {
    const statement = statements[i] as PreparedStatement
    if (entry.statementHashes[i] !== statement.hash) {
      throw new KeelError(
        'CHECKSUM_MISMATCH',
        `${migration.id} is ${entry.status} after ${done} committed statements, but statement ${i + 1} (${statement.file}:${statement.line}) changed since it ran`,
        resumeHint(migration),
      )
    }
  }
}

function resumeHint(migration: Migration): string {
  return `Only statements after the committed ones may change. Restore them, or decide with \`keel resolve ${migration.version} --applied|--rolled-back\`.`
}
