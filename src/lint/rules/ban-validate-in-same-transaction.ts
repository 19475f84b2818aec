import type { LintContext, LintStatement, Rule } from '../rule.js'
import { alterTable, constraintOf } from '../sql/ast.js'

/**
 * VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID: the ADD's lock is held through the
 * validating scan, so splitting the constraint bought nothing.
 */
export const banValidateInSameTransaction: Rule = {
  id: 'ban-validate-in-same-transaction',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD CONSTRAINT ... NOT VALID and VALIDATE CONSTRAINT in one transaction',
  why: "NOT VALID + VALIDATE exists to split a constraint in two: the ADD takes a strong lock (ACCESS EXCLUSIVE for a check, SHARE ROW EXCLUSIVE on both tables for a foreign key) but only for an instant, and the VALIDATE scans under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes. A lock is held until the transaction ends, so in one transaction the ADD's lock is still held through the whole scan: the same outage as adding the constraint validated. Keel's runner commits before each VALIDATE CONSTRAINT of a migration on its own, so this is flagged only in explicit BEGIN ... COMMIT blocks and in loose files linted with --assume-in-transaction.",
  help: "COMMIT between the two (or put VALIDATE CONSTRAINT in a later migration); Keel's runner does this for a migration folder.",
  examples: {
    bad: 'begin;\nalter table orders add constraint orders_total_positive check (total >= 0) not valid;\nalter table orders validate constraint orders_total_positive;\ncommit;',
    good: 'alter table orders add constraint orders_total_positive check (total >= 0) not valid;\ncommit;\nalter table orders validate constraint orders_total_positive;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    // Keel's runner gives VALIDATE CONSTRAINT a transaction of its own (migrate/prepare-statements.ts).
    if (ctx.migration !== undefined || !ctx.inTransaction) return
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      if (cmd.subtype !== 'AT_ValidateConstraint' || cmd.name === undefined) continue
      const added = addedNotValidBefore(ctx, alter.key, cmd.name)
      if (added === undefined) continue
      yield {
        message: `validates ${cmd.name} in the transaction that added it NOT VALID (line ${added.parsed.line}): the lock ADD CONSTRAINT took on ${alter.key} is held through the validating scan`,
      }
    }
  },
}

/** The statement of the same transaction (back to its BEGIN) that added `name` to `table` NOT VALID. */
function addedNotValidBefore(ctx: LintContext, table: string, name: string): LintStatement | undefined {
  for (let k = ctx.index - 1; k >= 0; k--) {
    const statement = ctx.statements[k] as LintStatement
    if ('TransactionStmt' in statement.node) return undefined
    const alter = alterTable(statement.node, ctx.traits.defaultNamespace)
    if (alter?.key !== table) continue
    for (const cmd of alter.cmds) {
      const constraint = cmd.subtype === 'AT_AddConstraint' ? constraintOf(cmd) : undefined
      if (constraint?.conname === name && constraint.skip_validation === true) return statement
    }
  }
  return undefined
}
