import type { Rule } from '../rule.js'
import { alterTable, constraintOf } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** ADD CHECK scans the table under ACCESS EXCLUSIVE to validate existing rows: reads and writes wait. */
export const requireNotValidCheck: Rule = {
  id: 'require-not-valid-check',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD CHECK validated at creation on an existing table',
  why: 'Adding a CHECK constraint takes ACCESS EXCLUSIVE and scans the whole table to check existing rows: no reads or writes until the scan ends. Added NOT VALID, it is enforced for new rows at once without a scan, and VALIDATE CONSTRAINT later checks the old rows under SHARE UPDATE EXCLUSIVE.',
  help: 'Add it NOT VALID (no scan), then VALIDATE CONSTRAINT in a later transaction, under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes.',
  examples: {
    bad: 'alter table orders add constraint orders_total_positive check (total >= 0);',
    good: 'alter table orders add constraint orders_total_positive check (total >= 0) not valid;\n-- next migration:\nalter table orders validate constraint orders_total_positive;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const constraint = cmd.subtype === 'AT_AddConstraint' ? constraintOf(cmd) : undefined
      if (constraint?.contype !== 'CONSTR_CHECK' || constraint.skip_validation === true) continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      yield {
        message:
          `adds check ${constraint.conname ?? ''} and validates it at once: scans ${alter.key} under ACCESS EXCLUSIVE, blocking reads and writes`.replace(
            '  ',
            ' ',
          ),
        at: constraint.location,
        ...size,
      }
    }
  },
}
