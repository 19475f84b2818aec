import type { Rule } from '../rule.js'
import { alterTable } from '../sql/ast.js'

/** ALTER COLUMN ... DROP NOT NULL on an existing table. */
export const banDropNotNull: Rule = {
  id: 'ban-drop-not-null',
  severity: 'warning',
  dialects: 'all',
  summary: 'ALTER COLUMN ... DROP NOT NULL on an existing table',
  why: 'Code of the running release may rely on the column never being NULL (and readers of replicas or exports too); once NULLs are written, putting NOT NULL back needs a scan and a cleanup.',
  help: 'Make sure every reader handles NULL before the migration runs; suppress the finding with a reason once checked.',
  examples: {
    bad: 'alter table users alter column email drop not null;',
    good: '-- keel:lint-ignore ban-drop-not-null every reader handles NULL since release 41\nalter table users alter column email drop not null;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined || ctx.isNew(alter.key) || ctx.migration?.phase === 'expand') return
    for (const cmd of alter.cmds) {
      if (cmd.subtype !== 'AT_DropNotNull') continue
      yield {
        message: `lets ${alter.key}.${cmd.name ?? '?'} hold NULL: readers that assume it never does may break`,
        at: alter.relation?.location,
      }
    }
  },
}
