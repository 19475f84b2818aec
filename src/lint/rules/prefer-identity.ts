import type { Rule } from '../rule.js'
import { builtinName, declaredColumns, typeOf } from '../sql/ast.js'

/** A serial column (rather than an identity column). */
export const preferIdentity: Rule = {
  id: 'prefer-identity',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a serial column (rather than an identity column)',
  why: 'serial creates a sequence owned by the column but granted and dumped separately; its permissions and ownership drift, and inserts may bypass it. GENERATED ... AS IDENTITY is the SQL-standard column that owns its sequence.',
  help: 'Use bigint generated always as identity (or by default).',
  examples: {
    bad: 'create table users (id bigserial primary key);',
    good: 'create table users (id bigint generated always as identity primary key);',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    for (const { column, table } of declaredColumns(node, ctx.traits.defaultNamespace)) {
      const type = builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) ?? ''
      if (!['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8'].includes(type)) continue
      yield { message: `${table}.${column.colname ?? '?'} is ${type}: prefer an identity column`, at: column.location }
    }
  },
}
