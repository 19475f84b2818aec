import type { Rule } from '../rule.js'

/** ALTER TYPE ... ADD VALUE inside a transaction block on PostgreSQL before 12, or used before it commits. */
export const banEnumAddValueInTransaction: Rule = {
  id: 'ban-enum-add-value-in-transaction',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ALTER TYPE ... ADD VALUE inside a transaction block on PostgreSQL before 12, or used before it commits',
  why: 'Before PostgreSQL 12, ALTER TYPE ... ADD VALUE cannot run inside a transaction block at all; since 12 it can, but the new value cannot be used until the transaction commits ("unsafe use of new value"). Keel\'s runner gives the statement its own commit; an explicit transaction block does not.',
  help: 'Add the value in a migration (or transaction) of its own, and use it in a later one.',
  examples: {
    bad: "begin;\nalter type mood add value 'ok';\ninsert into people (mood) values ('ok');\ncommit;",
    good: "alter type mood add value 'ok';\n-- a later migration uses 'ok'",
  },
  statementKinds: ['AlterEnumStmt'],
  *checkStatement({ node }, ctx) {
    if (!('AlterEnumStmt' in node) || node.AlterEnumStmt.oldVal !== undefined || !ctx.inTransaction) return
    if (ctx.migration !== undefined && ctx.live.serverVersion === undefined) return
    const value = node.AlterEnumStmt.newVal ?? ''
    const old = ctx.live.serverVersion !== undefined && ctx.live.serverVersion < 120000
    const usedLater = ctx.statements.slice(ctx.index + 1).some((s) => s.parsed.sql.includes(`'${value}'`))
    if (!old && !usedLater) return
    yield {
      message: old
        ? `ADD VALUE '${value}' inside a transaction block: PostgreSQL ${Math.floor((ctx.live.serverVersion ?? 0) / 10000)} refuses it`
        : `ADD VALUE '${value}' is used later in the same transaction: PostgreSQL refuses the new value before it commits`,
    }
  },
}
