import type { Rule } from '../rule.js'

/**
 * A statement PostgreSQL refuses in a transaction block runs alone, committed on its own: in a migration that
 * also runs other statements, a failure after it leaves the migration half applied.
 *
 * `ALTER TYPE ... ADD VALUE` is refused only before PostgreSQL 12. From 12 on it runs in a transaction block, and the
 * runner gives it a transaction of its own (the new value cannot be used before it commits: 55P04), as it gives a
 * VALIDATE CONSTRAINT one: a statement that commits on its own, which this rule does not flag (keel generate writes
 * both beside their neighbours, and the journal resumes after either). It is flagged when the server is known to be
 * older than 12 (`keel lint` against it), where the runner runs it outside any transaction, as a CONCURRENTLY build.
 * The unsafe use of the value in an explicit transaction block is ban-enum-add-value-in-transaction's.
 */
export const requireNoTransactionDirective: Rule = {
  id: 'require-no-transaction-directive',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a statement that cannot run in a transaction, in a migration without `-- keel:no-transaction`',
  why: 'Keel runs each migration in one transaction, but PostgreSQL refuses some statements in a transaction block (CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ...). Keel runs those alone and commits what came before them, so the migration is no longer atomic: a failure after such a statement leaves it half applied (journaled, resumable, but half applied). A migration that starts with `-- keel:no-transaction` says so on purpose. ALTER TYPE ... ADD VALUE is flagged only on PostgreSQL before 12, which refuses it in a transaction block; from 12 on Keel gives it a transaction of its own, as it gives a VALIDATE CONSTRAINT, so that its value can be used after it.',
  help: 'Put the statement in a migration of its own that starts with `-- keel:no-transaction`, so the rest of the work stays atomic.',
  examples: {
    bad: 'alter table users add column email text;\ncreate index concurrently users_email_idx on users (email);',
    good: '-- keel:no-transaction\ncreate index concurrently users_email_idx on users (email);',
  },
  *checkStatement({ parsed, node }, ctx) {
    const migration = ctx.migration
    if (migration === undefined || migration.noTransaction || parsed.nonTransactional === undefined) return
    if (ctx.statements.length < 2) return
    const addsValue = 'AlterEnumStmt' in node
    if (addsValue && (ctx.live.serverVersion === undefined || ctx.live.serverVersion >= 120000)) return
    yield {
      message: `${parsed.nonTransactional} cannot run in a transaction: Keel runs it alone, outside the migration's transaction, so a failure after it leaves ${migration.id} half applied`,
    }
  },
}
