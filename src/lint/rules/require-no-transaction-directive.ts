import type { Rule } from '../rule.js'

/**
 * A statement PostgreSQL refuses in a transaction block runs alone, committed on its own: in a migration that
 * also runs other statements, a failure after it leaves the migration half applied.
 */
export const requireNoTransactionDirective: Rule = {
  id: 'require-no-transaction-directive',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a statement that cannot run in a transaction, in a migration without `-- keel:no-transaction`',
  why: 'Keel runs each migration in one transaction, but PostgreSQL refuses some statements in a transaction block (CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ...). Keel runs those alone and commits what came before them, so the migration is no longer atomic: a failure after such a statement leaves it half applied (journaled, resumable, but half applied). A migration that starts with `-- keel:no-transaction` says so on purpose.',
  help: 'Put the statement in a migration of its own that starts with `-- keel:no-transaction`, so the rest of the work stays atomic.',
  examples: {
    bad: 'alter table users add column email text;\ncreate index concurrently users_email_idx on users (email);',
    good: '-- keel:no-transaction\ncreate index concurrently users_email_idx on users (email);',
  },
  *checkStatement({ parsed }, ctx) {
    const migration = ctx.migration
    if (migration === undefined || migration.noTransaction || parsed.nonTransactional === undefined) return
    if (ctx.statements.length < 2) return
    yield {
      message: `${parsed.nonTransactional} cannot run in a transaction: Keel runs it alone, outside the migration's transaction, so a failure after it leaves ${migration.id} half applied`,
    }
  },
}
