import type { LintContext, Rule } from '../rule.js'
import { alterTable, relationKey } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** ALTER COLUMN ... SET NOT NULL on an existing table without a validated IS NOT NULL check. */
export const banSetNotNull: Rule = {
  id: 'ban-set-not-null',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ALTER COLUMN ... SET NOT NULL on an existing table without a validated IS NOT NULL check',
  why: 'SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove that no row holds NULL: no reads or writes until the scan ends. Since PostgreSQL 12 the scan is skipped when a validated CHECK (col IS NOT NULL) constraint already proves it.',
  help: 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later transaction (no writes blocked), then SET NOT NULL (no scan) and drop the check.',
  examples: {
    bad: 'alter table users alter column email set not null;',
    good: 'alter table users add constraint users_email_nn check (email is not null) not valid;\n-- next migration:\nalter table users validate constraint users_email_nn;\nalter table users alter column email set not null;\nalter table users drop constraint users_email_nn;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node, step }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    // A VALIDATE CONSTRAINT on the same table earlier in the file, or in a migration before it in the same run, is
    // the validated-check route to NOT NULL.
    const validated =
      ctx.validatedBefore.has(alter.key) ||
      ctx.statements
        .slice(0, ctx.index)
        .some(
          (s) =>
            alterTable(s.node, ctx.traits.defaultNamespace)?.key === alter.key &&
            alterTable(s.node, ctx.traits.defaultNamespace)?.cmds.some((c) => c.subtype === 'AT_ValidateConstraint'),
        )
    // Before PostgreSQL 12 SET NOT NULL scans even when a validated check proves it (release notes of 12).
    const before12 = ctx.live.serverVersion !== undefined && ctx.live.serverVersion < 120000
    if (validated && !before12) return
    // A generated step knows whether a validated check proves it (an earlier migration of the plan may hold the
    // VALIDATE, when a concurrent index build split the plan in between): its facts say whether it scans.
    if (step !== undefined && !step.scansTable && !before12) return
    for (const cmd of alter.cmds) {
      if (cmd.subtype !== 'AT_SetNotNull') continue
      // The live database already holds a validated CHECK (col IS NOT NULL): a run stopped after the validation.
      // The column may have been renamed earlier in this file (a contract's swap): the check is on its live name.
      const live = liveName(ctx, alter.key, cmd.name ?? '')
      if (!before12 && ctx.live.notNullChecked?.has(`${alter.key}.${live}`) === true) continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      yield {
        message: `sets ${alter.key}.${cmd.name ?? '?'} NOT NULL: scans ${alter.key} under ACCESS EXCLUSIVE, blocking reads and writes${validated ? ' (before PostgreSQL 12 even a validated IS NOT NULL check does not skip the scan)' : ''}`,
        ...(validated
          ? {
              hint: 'On PostgreSQL 11 and earlier keep the validated CHECK (col IS NOT NULL) instead of SET NOT NULL (it enforces the same), or upgrade to 12 or later, where SET NOT NULL uses it and skips the scan.',
            }
          : {}),
        at: alter.relation?.location,
        ...size,
      }
    }
  },
}

/** The name `column` of `table` had in the live database, before the RENAME COLUMNs earlier in the file. */
function liveName(ctx: LintContext, table: string, column: string): string {
  let name = column
  for (const { node } of ctx.statements.slice(0, ctx.index).reverse()) {
    if (!('RenameStmt' in node) || node.RenameStmt.renameType !== 'OBJECT_COLUMN') continue
    if (relationKey(node.RenameStmt.relation, ctx.traits.defaultNamespace) !== table) continue
    if (node.RenameStmt.newname === name && node.RenameStmt.subname !== undefined) name = node.RenameStmt.subname
  }
  return name
}
