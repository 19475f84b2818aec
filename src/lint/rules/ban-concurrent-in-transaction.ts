import type { Rule } from '../rule.js'

/** A statement that cannot run in a transaction block (CONCURRENTLY, VACUUM, ...) inside one. */
export const banConcurrentInTransaction: Rule = {
  id: 'ban-concurrent-in-transaction',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'a statement that cannot run in a transaction block (CONCURRENTLY, VACUUM, ...) inside one',
  why: "PostgreSQL refuses CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM and their kin inside a transaction block: the migration fails when it reaches them. (Keel's runner runs such statements alone in a migration; this rule is about explicit BEGIN ... COMMIT blocks and tools that wrap a whole file in one transaction.)",
  help: 'Run the statement outside the transaction: in Keel, a migration of its own that starts with `-- keel:no-transaction`.',
  examples: {
    bad: 'begin;\ncreate index concurrently users_email_idx on users (email);\ncommit;',
    good: '-- keel:no-transaction\ncreate index concurrently users_email_idx on users (email);',
  },
  *checkStatement({ parsed }, ctx) {
    if (parsed.nonTransactional === undefined || !ctx.inTransaction) return
    yield { message: `${parsed.nonTransactional} cannot run inside a transaction block: PostgreSQL refuses it here` }
  },
}
