import type { Rule } from '../rule.js'
import { builtinName, declaredColumns, typeOf } from '../sql/ast.js'

/** A varchar(n) column. */
export const preferTextField: Rule = {
  id: 'prefer-text-field',
  severity: 'info',
  dialects: ['postgres', 'pglite'],
  summary: 'a varchar(n) column',
  why: 'varchar(n) stores the same as text; its only effect is the length limit, and raising that limit later is catalog-only but lowering it needs a scan. A CHECK (length(col) <= n) says the same and can be changed NOT VALID.',
  help: 'Use text, with a CHECK constraint on the length if the limit matters.',
  examples: {
    bad: 'create table users (name varchar(100));',
    good: 'create table users (name text check (length(name) <= 100));',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    for (const { column, table } of declaredColumns(node, ctx.traits.defaultNamespace)) {
      const type = typeOf(column.typeName)
      if (builtinName(type, ctx.traits.builtinTypes) !== 'varchar' || type.mods.length === 0) continue
      yield {
        message: `${table}.${column.colname ?? '?'} is varchar(${type.mods[0]}): text with a length check is easier to change`,
        at: column.location,
      }
    }
  },
}
