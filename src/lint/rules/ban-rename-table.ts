import type { Rule } from '../rule.js'
import { relationKey } from '../sql/ast.js'

/** A renamed table breaks every query of the release still running that names it. */
export const banRenameTable: Rule = {
  id: 'ban-rename-table',
  severity: 'error',
  dialects: 'all',
  summary: 'ALTER TABLE ... RENAME TO on a table this migration did not create',
  why: 'Application code names tables. During a deploy the release that is still running keeps using the old name, and every query on it fails from the moment the migration commits until the new release is out. Renaming to `_deprecated_<name>` is not flagged: it is the first step of the safe way to drop a table that nothing uses any more.',
  help: 'Expand/contract: create the new table (or an updatable view under the new name), move the code to it, and drop the old name in a later release.',
  examples: {
    bad: 'alter table users rename to accounts;',
    good: 'create view accounts as select * from users;\n-- move the code to accounts, then swap in a later release',
  },
  statementKinds: ['RenameStmt'],
  *checkStatement({ node }, ctx) {
    if (!('RenameStmt' in node) || node.RenameStmt.renameType !== 'OBJECT_TABLE') return
    const key = relationKey(node.RenameStmt.relation, ctx.traits.defaultNamespace)
    // A contract migration swaps in what expand built beside the old name, after the release that used it is gone.
    if (ctx.migration?.phase === 'contract' || ctx.isNew(key)) return
    // Renaming to _deprecated_* is the first step of the safe way to drop a table: the release running no longer uses it.
    if ((node.RenameStmt.newname ?? '').startsWith('_deprecated_')) return
    yield {
      message: `renames table ${key} to ${node.RenameStmt.newname ?? '?'}: the release still running fails on the old name`,
      at: node.RenameStmt.relation?.location,
    }
  },
}
