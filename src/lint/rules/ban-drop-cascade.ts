import type { Rule } from '../rule.js'
import { alterTable } from '../sql/ast.js'

/** DROP ... CASCADE (and DROP COLUMN / TRUNCATE ... CASCADE). */
export const banDropCascade: Rule = {
  id: 'ban-drop-cascade',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'DROP ... CASCADE (and DROP COLUMN / TRUNCATE ... CASCADE)',
  why: 'CASCADE silently drops every object that depends on the one named: views, foreign keys, and with TRUNCATE the rows of every referencing table. What goes is decided by the database at run time, not by the reviewer.',
  help: 'Drop the dependent objects explicitly, by name, before the object itself.',
  examples: {
    bad: 'drop table customers cascade;',
    good: 'alter table orders drop constraint orders_customer_fk;\n-- later: drop table customers;',
  },
  statementKinds: ['DropStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    const cascade =
      ('DropStmt' in node && node.DropStmt.behavior === 'DROP_CASCADE') ||
      alter?.cmds.some((c) => c.behavior === 'DROP_CASCADE')
    if (!cascade) return
    yield { message: 'CASCADE also drops every object that depends on this one, whatever they are' }
  },
}
