import type { Rule } from '../rule.js'

/** REINDEX without CONCURRENTLY. */
export const requireConcurrentReindex: Rule = {
  id: 'require-concurrent-reindex',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'REINDEX without CONCURRENTLY',
  why: 'REINDEX locks out writes to the table (and reads that would use the index) while it rebuilds: REINDEX TABLE takes SHARE on the table, REINDEX INDEX also ACCESS EXCLUSIVE on the index. REINDEX CONCURRENTLY (PostgreSQL 12+) rebuilds beside the old index without blocking.',
  help: 'Use REINDEX ... CONCURRENTLY in a migration of its own that starts with `-- keel:no-transaction`.',
  examples: {
    bad: 'reindex index users_email_idx;',
    good: '-- keel:no-transaction\nreindex index concurrently users_email_idx;',
  },
  statementKinds: ['ReindexStmt'],
  *checkStatement({ node }) {
    if (!('ReindexStmt' in node)) return
    const concurrently = (node.ReindexStmt.params ?? []).some(
      (p) => 'DefElem' in p && p.DefElem.defname === 'concurrently',
    )
    if (concurrently) return
    yield {
      message:
        `REINDEX ${node.ReindexStmt.name ?? node.ReindexStmt.relation?.relname ?? ''} blocks writes while it rebuilds`.replace(
          / +blocks/,
          ' blocks',
        ),
    }
  },
}
