import type { Rule } from '../rule.js'
import { alterTable, columnConstraints, columnDefOf } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** ADD COLUMN ... GENERATED ALWAYS AS (...) STORED on an existing table. */
export const banAddStoredGeneratedColumn: Rule = {
  id: 'ban-add-stored-generated-column',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD COLUMN ... GENERATED ALWAYS AS (...) STORED on an existing table',
  why: 'A stored generated column is computed for every existing row: the table is rewritten under ACCESS EXCLUSIVE, blocking reads and writes until it ends.',
  help: 'Add a plain column, fill it with a trigger for new rows and a batched backfill for old ones; or compute it in a view or the query.',
  examples: {
    bad: 'alter table orders add column total_cents bigint generated always as (total * 100) stored;',
    good: 'alter table orders add column total_cents bigint;\n-- trigger for new rows, batched backfill for old ones',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
      if (column === undefined || !columnConstraints(column).some((c) => c.contype === 'CONSTR_GENERATED')) continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      yield {
        message: `adds stored generated column ${alter.key}.${column.colname ?? '?'}: rewrites ${alter.key} under ACCESS EXCLUSIVE`,
        at: column.location,
        ...size,
      }
    }
  },
}
