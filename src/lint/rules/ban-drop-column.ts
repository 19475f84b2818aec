import type { Rule } from '../rule.js'
import { alterTable } from '../sql/ast.js'

/** DROP COLUMN loses the column's data, and the release still running reads or writes it. */
export const banDropColumn: Rule = {
  id: 'ban-drop-column',
  severity: 'error',
  dialects: 'all',
  summary: 'ALTER TABLE ... DROP COLUMN on a table this migration did not create',
  why: 'Dropping a column deletes its data for good, and the running release that still selects, inserts or updates it fails (ORMs that select every column by name fail on any query of the table). The drop itself is quick, but it takes ACCESS EXCLUSIVE on the table.',
  help: 'Stop using the column in the application first (expand/contract), and drop it in a later migration after a release that no longer reads it.',
  examples: {
    bad: 'alter table users drop column nickname;',
    good: '-- after the release that no longer reads users.nickname:\n-- keel:lint-ignore ban-drop-column unused since release 42\nalter table users drop column nickname;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined || ctx.migration?.phase === 'contract' || ctx.isNew(alter.key)) return
    for (const cmd of alter.cmds) {
      if (cmd.subtype !== 'AT_DropColumn') continue
      yield {
        message: `drops column ${alter.key}.${cmd.name ?? '?'} and its data; the release still running fails on it`,
        at: alter.relation?.location,
      }
    }
  },
}
