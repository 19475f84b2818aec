import type { Rule } from '../rule.js'
import { relationKey } from '../sql/ast.js'

/** TRUNCATE of a table this migration did not create. */
export const banTruncate: Rule = {
  id: 'ban-truncate',
  severity: 'error',
  dialects: 'all',
  summary: 'TRUNCATE of a table this migration did not create',
  why: 'TRUNCATE deletes every row at once, with no WHERE and no way back, and takes ACCESS EXCLUSIVE. With CASCADE it also empties every table that references it.',
  help: 'Delete the rows you mean in batches, or, for a table nothing needs any more, rename it and drop it later.',
  examples: {
    bad: 'truncate table sessions;',
    good: "delete from sessions where created_at < now() - interval '30 days';",
  },
  statementKinds: ['TruncateStmt'],
  *checkStatement({ node }, ctx) {
    if (!('TruncateStmt' in node)) return
    const cascade = node.TruncateStmt.behavior === 'DROP_CASCADE'
    for (const rel of node.TruncateStmt.relations ?? []) {
      const key = 'RangeVar' in rel ? relationKey(rel.RangeVar, ctx.traits.defaultNamespace) : ''
      if (ctx.isNew(key)) continue
      yield {
        message: `empties ${key} under ACCESS EXCLUSIVE${cascade ? ', and with CASCADE every table that references it' : ''}: the rows are gone for good`,
        at: 'RangeVar' in rel ? rel.RangeVar.location : undefined,
      }
    }
  },
}
