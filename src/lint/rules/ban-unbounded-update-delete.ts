import type { Rule } from '../rule.js'
import { relationKey } from '../sql/ast.js'

/** UPDATE or DELETE without WHERE on an existing table, in a schema migration. */
export const banUnboundedUpdateDelete: Rule = {
  id: 'ban-unbounded-update-delete',
  severity: 'warning',
  dialects: ['postgres', 'pglite', 'mysql'],
  summary: 'UPDATE or DELETE without WHERE on an existing table, in a schema migration',
  why: "An UPDATE or DELETE of every row holds row locks on the whole table until the migration commits, blocking the application's writes to those rows, bloats the table, and in a migration's transaction keeps every DDL lock taken before it. Large data changes belong in batches that commit one by one.",
  help: 'Backfill in batches (`UPDATE ... WHERE id BETWEEN ...`), each committing on its own, in a migration with `-- keel:no-transaction` (or `-- keel:phase backfill`).',
  examples: {
    bad: "update users set plan = 'free';",
    good: "-- keel:no-transaction\nupdate users set plan = 'free' where id between 1 and 10000 and plan is null;",
  },
  statementKinds: ['UpdateStmt', 'DeleteStmt'],
  *checkStatement({ node }, ctx) {
    const stmt = 'UpdateStmt' in node ? node.UpdateStmt : 'DeleteStmt' in node ? node.DeleteStmt : undefined
    if (stmt === undefined || stmt.whereClause !== undefined) return
    const key = relationKey(stmt.relation, ctx.traits.defaultNamespace)
    if (ctx.sizeOf(key) === 'new' || ctx.sizeOf(key) === 'empty') return
    yield {
      message: `${'UpdateStmt' in node ? 'updates' : 'deletes'} every row of ${key} in one statement: row locks on the whole table until the migration commits`,
      at: stmt.relation?.location,
    }
  },
}
