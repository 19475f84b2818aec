import type { Rule } from '../rule.js'
import { namesKey } from '../sql/ast.js'

/** DROP INDEX without CONCURRENTLY. */
export const requireConcurrentDropIndex: Rule = {
  id: 'require-concurrent-drop-index',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'DROP INDEX without CONCURRENTLY',
  why: "DROP INDEX takes ACCESS EXCLUSIVE on the index's table: quick, but it waits behind every transaction using the table, and every query queued after it waits too. DROP INDEX CONCURRENTLY waits without blocking.",
  help: 'Use DROP INDEX CONCURRENTLY in a migration of its own that starts with `-- keel:no-transaction`.',
  examples: {
    bad: 'drop index users_email_idx;',
    good: '-- keel:no-transaction\ndrop index concurrently users_email_idx;',
  },
  *checkStatement({ node }, ctx) {
    if (!('DropStmt' in node) || node.DropStmt.removeType !== 'OBJECT_INDEX' || node.DropStmt.concurrent === true)
      return
    // Indexes built earlier in this migration are on tables it holds anyway.
    const names = (node.DropStmt.objects ?? []).map((o) =>
      'List' in o ? namesKey(o.List.items, ctx.traits.defaultNamespace) : '',
    )
    const built = new Set(
      ctx.statements
        .slice(0, ctx.index)
        .flatMap((s) => ('IndexStmt' in s.node ? [s.node.IndexStmt.idxname ?? ''] : [])),
    )
    if (names.every((n) => built.has(n))) return
    yield { message: `drops ${names.join(', ')} under ACCESS EXCLUSIVE on its table` }
  },
}
