import type { Rule } from '../rule.js'
import { alterTable, columnConstraints, columnDefOf } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** ADD COLUMN ... NOT NULL without a default fails on a table with rows (and the release still running inserts none). */
export const requireDefaultForNotNullColumn: Rule = {
  id: 'require-default-for-not-null-column',
  severity: 'error',
  dialects: 'all',
  summary: 'ADD COLUMN ... NOT NULL without a DEFAULT on an existing table',
  why: 'A new NOT NULL column without a default has no value for the rows already in the table, so PostgreSQL refuses the statement on a table with rows. Even on an empty table, the release still running does not know the column and its inserts then fail.',
  help: 'Add the column nullable, backfill it in batches, then add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, and SET NOT NULL; or give it a constant DEFAULT.',
  examples: {
    bad: 'alter table users add column plan text not null;',
    good: "alter table users add column plan text not null default 'free';",
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
      if (column === undefined) continue
      const constraints = columnConstraints(column)
      const notNull =
        column.is_not_null === true ||
        constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY')
      const filled =
        column.raw_default !== undefined ||
        constraints.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.contype ?? ''))
      if (!notNull || filled) continue
      const name = `${alter.key}.${column.colname ?? '?'}`
      // SQLite refuses it on any table, new, empty or not ("Cannot add a NOT NULL column with default value NULL").
      if (ctx.traits.notNullColumnWithoutDefault === 'refused') {
        yield {
          message: `adds NOT NULL column ${name} without a default: ${ctx.traits.title} refuses it`,
          at: column.location,
        }
        continue
      }
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      yield {
        message:
          ctx.traits.notNullColumnWithoutDefault === 'implicit-default'
            ? `adds NOT NULL column ${name} without a default: existing rows get the type's implicit default (0, ''), and inserts from the release still running fail in strict mode`
            : `adds NOT NULL column ${name} without a default: fails on a table with rows, and inserts from the release still running fail`,
        at: column.location,
        ...size,
      }
    }
  },
}
