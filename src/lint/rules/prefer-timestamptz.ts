import type { Rule } from '../rule.js'
import { alterTable, builtinName, declaredColumns, typeOf } from '../sql/ast.js'

/** A timestamp column without time zone. */
export const preferTimestamptz: Rule = {
  id: 'prefer-timestamptz',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a timestamp column without time zone (new, or retyped)',
  why: 'timestamp without time zone stores a wall-clock reading with no zone: values written from servers or sessions in different zones cannot be compared, and daylight-saving changes make some ambiguous. timestamptz stores an instant and costs the same 8 bytes.',
  help: 'Use timestamptz (timestamp with time zone).',
  examples: {
    bad: 'alter table users add column last_seen timestamp;',
    good: 'alter table users add column last_seen timestamptz;',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    for (const { column, table } of declaredColumns(node, ctx.traits.defaultNamespace)) {
      if (builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) !== 'timestamp') continue
      yield { message: `${table}.${column.colname ?? '?'} is timestamp without time zone`, at: column.location }
    }
    // ALTER COLUMN ... TYPE timestamp: the column's def is a ColumnDef holding only the new type.
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    for (const cmd of alter?.cmds ?? []) {
      if (cmd.subtype !== 'AT_AlterColumnType' || cmd.def === undefined || !('ColumnDef' in cmd.def)) continue
      if (builtinName(typeOf(cmd.def.ColumnDef.typeName), ctx.traits.builtinTypes) !== 'timestamp') continue
      yield {
        message: `retypes ${alter?.key ?? '?'}.${cmd.name ?? '?'} to timestamp without time zone`,
        at: cmd.def.ColumnDef.location,
      }
    }
  },
}
