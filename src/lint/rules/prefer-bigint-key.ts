import type { Rule } from '../rule.js'
import { builtinName, columnConstraints, declaredColumns, typeOf } from '../sql/ast.js'

/** An integer or smallint primary key, identity or serial column. */
export const preferBigintKey: Rule = {
  id: 'prefer-bigint-key',
  severity: 'warning',
  // Not SQLite: its INTEGER PRIMARY KEY is the rowid, 8 bytes whatever the declared type.
  dialects: ['postgres', 'pglite', 'mysql'],
  summary: 'an integer or smallint primary key, identity or serial column',
  why: 'A 4-byte key runs out at 2,147,483,647 rows (smallint at 32,767), and changing it to bigint later rewrites the table and every table that references it under ACCESS EXCLUSIVE. bigint costs 4 more bytes per row.',
  help: 'Use bigint (bigint generated always as identity, or bigserial) for keys.',
  examples: {
    bad: 'create table users (id integer generated always as identity primary key);',
    good: 'create table users (id bigint generated always as identity primary key);',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    for (const { column, table } of declaredColumns(node, ctx.traits.defaultNamespace)) {
      const type = builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) ?? ''
      const narrow = ['int4', 'int2', 'serial', 'serial4', 'smallserial', 'serial2'].includes(type)
      if (!narrow) continue
      const key =
        type.includes('serial') ||
        columnConstraints(column).some((c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY')
      if (!key) continue
      yield {
        message: `${table}.${column.colname ?? '?'} is a ${type.includes('2') || type === 'smallserial' ? '2' : '4'}-byte key: it runs out, and widening it later rewrites the table`,
        at: column.location,
      }
    }
  },
}
