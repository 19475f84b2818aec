import type { LintContext, Rule } from '../rule.js'
import { namesKey, relationKey } from '../sql/ast.js'

/** DROP TABLE loses every row at once, and the release still running reads the table. */
export const banDropTable: Rule = {
  id: 'ban-drop-table',
  severity: 'error',
  dialects: 'all',
  summary: 'DROP TABLE of a table this migration did not create',
  why: 'Dropping a table deletes every row at once, and no down.sql brings them back. During a deploy the release that is still running keeps querying the table and fails until the new release has fully replaced it. DROP TABLE also takes ACCESS EXCLUSIVE, so it waits behind any long transaction reading the table and stalls every query queued behind it.',
  help: 'Rename the table to _deprecated_<name> (or stop using it) first, and drop it in a later migration after a verification period.',
  examples: {
    bad: 'drop table orders;',
    good: 'alter table orders rename to _deprecated_orders;\n-- a later migration, after the retention period:\n-- keel:lint-ignore ban-drop-table renamed in 20261201000000, unused since\ndrop table _deprecated_orders;',
  },
  statementKinds: ['DropStmt'],
  *checkStatement({ node }, ctx) {
    if (!('DropStmt' in node) || node.DropStmt.removeType !== 'OBJECT_TABLE') return
    for (const object of node.DropStmt.objects ?? []) {
      const key = 'List' in object ? namesKey(object.List.items, ctx.traits.defaultNamespace) : ''
      if (ctx.migration?.phase === 'contract' || ctx.isNew(key) || replacedLater(key, ctx)) continue
      yield { message: `drops table ${key} with all its rows; the release still running fails on it` }
    }
  },
}

/**
 * Whether a later statement renames another table to `key`: the drop is half of a table rebuild (SQLite's way of
 * changing a table: create the new one, copy the rows, drop the old, rename the new), so no rows or name are lost.
 * A rebuild's cost is ban-table-rebuild's concern.
 */
function replacedLater(key: string, ctx: LintContext): boolean {
  const name = key.split('.').at(-1)
  return ctx.statements
    .slice(ctx.index + 1)
    .some(
      ({ node }) =>
        'RenameStmt' in node &&
        node.RenameStmt.renameType === 'OBJECT_TABLE' &&
        node.RenameStmt.newname === name &&
        ctx.createdBefore.has(relationKey(node.RenameStmt.relation, ctx.traits.defaultNamespace)),
    )
}
