import type { Rule } from '../rule.js'
import { builtinName, declaredColumns, typeOf } from '../sql/ast.js'

/** A json column (rather than jsonb). */
export const preferJsonb: Rule = {
  id: 'prefer-jsonb',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a json column (rather than jsonb)',
  why: 'json stores the text as written and re-parses it on every access; it has no equality operator (so no DISTINCT, GROUP BY or unique index) and no GIN indexing. jsonb is parsed once and indexable.',
  help: 'Use jsonb.',
  examples: {
    bad: 'create table events (payload json);',
    good: 'create table events (payload jsonb);',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    for (const { column, table } of declaredColumns(node, ctx.traits.defaultNamespace)) {
      if (builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) !== 'json') continue
      yield {
        message: `${table}.${column.colname ?? '?'} is json: no equality, no GIN index, re-parsed on every read`,
        at: column.location,
      }
    }
  },
}
