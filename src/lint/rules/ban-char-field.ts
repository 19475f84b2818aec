import type { Rule } from '../rule.js'
import { builtinName, declaredColumns, typeOf } from '../sql/ast.js'

/** A char(n) column. */
export const banCharField: Rule = {
  id: 'ban-char-field',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a char(n) column',
  why: 'char(n) pads values with spaces to n characters, compares ignoring them, and wastes space; it is no faster than text.',
  help: 'Use text (with a CHECK on the length if it matters).',
  examples: {
    bad: 'create table countries (code char(2));',
    good: 'create table countries (code text check (length(code) = 2));',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    for (const { column, table } of declaredColumns(node, ctx.traits.defaultNamespace)) {
      if (builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) !== 'bpchar') continue
      yield {
        message: `${table}.${column.colname ?? '?'} is char(n): blank-padded, and no faster than text`,
        at: column.location,
      }
    }
  },
}
