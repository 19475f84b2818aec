import type { Rule } from '../rule.js'
import { relationKey } from '../sql/ast.js'

/** A renamed column breaks every query of the release still running that names it. */
export const banRenameColumn: Rule = {
  id: 'ban-rename-column',
  severity: 'error',
  dialects: 'all',
  summary: 'ALTER TABLE ... RENAME COLUMN on a table this migration did not create',
  why: 'Application code names columns. During a deploy the release that is still running keeps using the old name, and every query that names it fails from the moment the migration commits until the new release has fully replaced it.',
  help: 'Expand/contract: add the new column, write both (trigger), backfill, move reads to the new name, then drop the old column in a later release.',
  examples: {
    bad: 'alter table users rename column name to full_name;',
    good: 'alter table users add column full_name text;\n-- dual-write trigger and batched backfill, then drop name after the release that stops using it',
  },
  statementKinds: ['RenameStmt'],
  *checkStatement({ node }, ctx) {
    if (!('RenameStmt' in node) || node.RenameStmt.renameType !== 'OBJECT_COLUMN') return
    const key = relationKey(node.RenameStmt.relation, ctx.traits.defaultNamespace)
    // A contract migration swaps in what expand built beside the old name, after the release that used it is gone.
    if (ctx.migration?.phase === 'contract' || ctx.isNew(key)) return
    yield {
      message: `renames ${key}.${node.RenameStmt.subname ?? '?'} to ${node.RenameStmt.newname ?? '?'}: the release still running fails on the old name`,
      at: node.RenameStmt.relation?.location,
    }
  },
}
