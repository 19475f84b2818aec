import type { Rule } from '../rule.js'
import { alterTable, columnConstraints, columnDefOf, constraintOf, relationKey } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/**
 * ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables and scans the referencing one to validate it: writes
 * to both wait for the whole scan.
 */
export const requireNotValidForeignKey: Rule = {
  id: 'require-not-valid-foreign-key',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD FOREIGN KEY validated at creation on an existing table',
  why: 'Adding a foreign key takes SHARE ROW EXCLUSIVE on both the referencing and the referenced table and then scans the referencing table to check every row: writes to both tables wait for the whole scan. Added NOT VALID, the constraint is enforced for new rows at once without a scan, and VALIDATE CONSTRAINT later checks the old rows under SHARE UPDATE EXCLUSIVE, which blocks no writes.',
  help: 'Add it NOT VALID (no scan), then VALIDATE CONSTRAINT in a later transaction: validation takes SHARE UPDATE EXCLUSIVE, which blocks no writes.',
  examples: {
    bad: 'alter table posts add constraint posts_author_fk foreign key (author_id) references users (id);',
    good: 'alter table posts add constraint posts_author_fk foreign key (author_id) references users (id) not valid;\n-- next migration:\nalter table posts validate constraint posts_author_fk;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      // ADD COLUMN ... REFERENCES: a column constraint cannot be NOT VALID, and PostgreSQL validates it at once
      // (a scan of the table, with SHARE ROW EXCLUSIVE on the referenced one), even though every value is NULL.
      const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
      const inline =
        column === undefined ? undefined : columnConstraints(column).find((c) => c.contype === 'CONSTR_FOREIGN')
      if (column !== undefined && inline !== undefined) {
        const size = onExistingTable(ctx, alter.key)
        if (size === undefined) continue
        const target = relationKey(inline.pktable, ctx.traits.defaultNamespace)
        yield {
          message: `adds column ${column.colname ?? '?'} with a foreign key to ${target}, validated at once: scans ${alter.key} and takes SHARE ROW EXCLUSIVE on ${target}, blocking writes to it`,
          hint: `Add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY (${column.colname ?? 'col'}) REFERENCES ${target} NOT VALID, and VALIDATE CONSTRAINT it in a later transaction.`,
          at: inline.location,
          ...size,
        }
        continue
      }
      const constraint = cmd.subtype === 'AT_AddConstraint' ? constraintOf(cmd) : undefined
      if (constraint?.contype !== 'CONSTR_FOREIGN' || constraint.skip_validation === true) continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      const target = relationKey(constraint.pktable, ctx.traits.defaultNamespace)
      yield {
        message:
          `adds foreign key ${constraint.conname ?? ''} and validates it at once: scans ${alter.key} under SHARE ROW EXCLUSIVE on ${alter.key} and ${target}, blocking writes to both`.replace(
            '  ',
            ' ',
          ),
        at: constraint.location,
        ...size,
      }
    }
  },
}
