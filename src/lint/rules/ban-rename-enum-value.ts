import type { Rule } from '../rule.js'

/** ALTER TYPE ... RENAME VALUE. */
export const banRenameEnumValue: Rule = {
  id: 'ban-rename-enum-value',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ALTER TYPE ... RENAME VALUE',
  why: 'Application code writes enum values by name: the release still running keeps writing the old label, and its inserts and updates fail from the moment the migration commits.',
  help: 'Add the new value, move the rows and the code to it, and stop using the old value (enum values cannot be dropped without recreating the type).',
  examples: {
    bad: "alter type order_status rename value 'canceled' to 'cancelled';",
    good: "alter type order_status add value 'cancelled';\n-- move rows and code to 'cancelled'; stop writing 'canceled'",
  },
  statementKinds: ['AlterEnumStmt'],
  *checkStatement({ node }) {
    if (!('AlterEnumStmt' in node) || node.AlterEnumStmt.oldVal === undefined) return
    yield {
      message: `renames enum value '${node.AlterEnumStmt.oldVal}' to '${node.AlterEnumStmt.newVal ?? '?'}': the release still running fails writing the old one`,
    }
  },
}
