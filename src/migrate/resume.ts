import type { Connection } from '../db/connection.js'
import { KeelError } from '../errors.js'
import type { Migration } from './directory.js'
import type { JournalEntry } from './journal.js'
import { quoteIdent } from './journal.js'
import type { PreparedStatement } from './prepare-statements.js'
import { statementEffect } from './statement-effects.js'

/** What to do with a statement that runs alone, given what the catalog says. */
export type ResumeVerdict =
  | { readonly kind: 'run' }
  /** The statement's effect is already there: it completed just before the previous runner stopped. */
  | { readonly kind: 'done'; readonly reason: string }
  /** A concurrent index build failed or was interrupted and left an INVALID index: drop it, then build again. */
  | { readonly kind: 'rebuild'; readonly reason: string; readonly dropSql: string }

/**
 * Decides how to run a statement that runs alone (outside a transaction). A leftover INVALID index
 * named by a `CREATE INDEX CONCURRENTLY` is always dropped and rebuilt. When the previous runner was
 * interrupted (journal `partial`) right at this statement, the statement may have committed without
 * its progress being journaled: if its effect is fully there, it is recorded as done instead of
 * failing on "already exists".
 */
export async function resumeVerdict(
  conn: Connection,
  statement: PreparedStatement,
  interrupted: boolean,
): Promise<ResumeVerdict> {
  const concurrentIndex = 'IndexStmt' in statement.node && statement.node.IndexStmt.concurrent === true
  const resumable = concurrentIndex || 'DropStmt' in statement.node || 'AlterEnumStmt' in statement.node
  if (!resumable || (!interrupted && !concurrentIndex)) return { kind: 'run' }
  const effect = await statementEffect(conn, statement)
  if (effect === undefined) return { kind: 'run' }
  if (effect.actual === 'invalid' && 'IndexStmt' in statement.node) {
    const index = statement.node.IndexStmt
    const schema = effect.schema ?? index.relation?.schemaname
    const target = `${schema === undefined ? '' : `${quoteIdent(schema)}.`}${quoteIdent(index.idxname as string)}`
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
