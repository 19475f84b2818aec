import type { Rule } from '../rule.js'
import { relationKey } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** CREATE INDEX holds SHARE on the table while it builds: reads go on, every write waits. */
export const requireConcurrentIndex: Rule = {
  id: 'require-concurrent-index',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'CREATE INDEX without CONCURRENTLY on an existing table',
  why: 'CREATE INDEX takes a SHARE lock for the whole build: reads continue, but every INSERT, UPDATE and DELETE on the table waits until the index is built, which takes minutes on a large table. CREATE INDEX CONCURRENTLY builds it under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes; it cannot run in a transaction block.',
  help: 'Use CREATE INDEX CONCURRENTLY in a migration of its own that starts with `-- keel:no-transaction`.',
  examples: {
    bad: 'create index users_email_idx on users (email);',
    good: '-- keel:no-transaction\ncreate index concurrently users_email_idx on users (email);',
  },
  statementKinds: ['IndexStmt'],
  *checkStatement({ node, step }, ctx) {
    if (!('IndexStmt' in node) || node.IndexStmt.concurrent === true) return
    const key = relationKey(node.IndexStmt.relation, ctx.traits.defaultNamespace)
    // ON ONLY a partitioned table: an invalid index with nothing to build (a partitioned table holds no rows), made
    // valid by attaching each partition's, built concurrently. The live database says the table is partitioned, or
    // the plan that wrote the statement does (ON ONLY on a plain table builds the whole index).
    const only = node.IndexStmt.relation?.inh !== true
    if (only && (ctx.live.partitions?.has(key) === true || (step !== undefined && !step.scansTable))) return
    const size = onExistingTable(ctx, key)
    if (size === undefined) return
    yield {
      message: `builds ${node.IndexStmt.idxname ?? 'an index'} on ${key} under a SHARE lock: writes to ${key} wait until the build ends`,
      at: node.IndexStmt.relation?.location,
      ...size,
    }
  },
}
