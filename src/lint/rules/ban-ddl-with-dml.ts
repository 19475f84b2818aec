import type { Rule } from '../rule.js'
import { alterTable, isDml, relationKey } from '../sql/ast.js'

/** A bulk data change in the same transaction as DDL on an existing table. */
export const banDdlWithDml: Rule = {
  id: 'ban-ddl-with-dml',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'a bulk data change in the same transaction as DDL on an existing table',
  why: 'In one transaction, the locks the DDL takes (often ACCESS EXCLUSIVE) are held until the data change finishes and the transaction commits: a backfill of minutes turns a brief lock into an outage. It also makes a failure undo both.',
  help: 'Put schema changes and data changes in separate migrations; backfill in batches in a `-- keel:no-transaction` (or `-- keel:phase backfill`) migration.',
  examples: {
    bad: "alter table users add column plan text;\nupdate users set plan = 'free';",
    good: "alter table users add column plan text;\n-- next migration, -- keel:no-transaction:\nupdate users set plan = 'free' where id between 1 and 10000;",
  },
  statementKinds: ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt'],
  *checkStatement({ node }, ctx) {
    if (!ctx.inTransaction || !isDml(node) || !isBulk(node)) return
    const ddl = ctx.statements.find((s, i) => i !== ctx.index && locksExisting(s.node, ctx))
    if (ddl === undefined) return
    yield {
      message: `changes rows in the same transaction as \`${ddl.parsed.sql.split('\n')[0]}\` (line ${ddl.parsed.line}): its lock is held until the data change commits`,
    }
  },
}

/** INSERT ... VALUES adds a few known rows; anything else may touch many. */
function isBulk(node: Parameters<typeof isDml>[0]): boolean {
  if ('InsertStmt' in node) {
    const select = node.InsertStmt.selectStmt
    return !(select !== undefined && 'SelectStmt' in select && select.SelectStmt.valuesLists !== undefined)
  }
  return true
}

function locksExisting(
  node: Parameters<typeof isDml>[0],
  ctx: Parameters<NonNullable<Rule['checkStatement']>>[1],
): boolean {
  const alter = alterTable(node, ctx.traits.defaultNamespace)
  if (alter !== undefined) return !ctx.isNew(alter.key)
  if ('IndexStmt' in node) return !ctx.isNew(relationKey(node.IndexStmt.relation, ctx.traits.defaultNamespace))
  return false
}
