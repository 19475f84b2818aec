import type { LintContext, LintStatement, Rule } from '../rule.js'
import { alterTable, columnConstraints, columnDefOf, constraintOf } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** ADD PRIMARY KEY or ADD UNIQUE without USING INDEX on an existing table. */
export const requireUsingIndexForKey: Rule = {
  id: 'require-using-index-for-key',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD PRIMARY KEY or ADD UNIQUE without USING INDEX on an existing table',
  why: 'Adding a primary key or unique constraint builds its index under ACCESS EXCLUSIVE (a primary key also scans for NULLs): no reads or writes until the build ends.',
  help: 'Build the unique index first with CREATE UNIQUE INDEX CONCURRENTLY (in a `-- keel:no-transaction` migration), then ADD CONSTRAINT ... PRIMARY KEY / UNIQUE USING INDEX, which only takes a brief lock.',
  examples: {
    bad: 'alter table users add constraint users_email_key unique (email);',
    good: '-- keel:no-transaction\ncreate unique index concurrently users_email_key on users (email);\n-- next migration:\nalter table users add constraint users_email_key unique using index users_email_key;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement(statement, ctx) {
    const { node } = statement
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const constraints =
        cmd.subtype === 'AT_AddConstraint'
          ? [constraintOf(cmd)]
          : cmd.subtype === 'AT_AddColumn'
            ? columnConstraints(columnDefOf(cmd) ?? {})
            : []
      for (const c of constraints) {
        if (
          c === undefined ||
          (c.contype !== 'CONSTR_PRIMARY' && c.contype !== 'CONSTR_UNIQUE') ||
          c.indexname !== undefined
        )
          continue
        const size = onExistingTable(ctx, alter.key)
        if (size === undefined) continue
        if (leavesKeyed(statement, ctx, alter.key, c.contype)) continue
        yield {
          message: `adds ${c.contype === 'CONSTR_PRIMARY' ? 'a primary key' : 'a unique constraint'} on ${alter.key}: builds its index under ACCESS EXCLUSIVE, blocking reads and writes`,
          at: c.location,
          ...size,
        }
      }
    }
  },
}

/**
 * Whether a key added over the columns of partitioned table `key` builds nothing: each of its leaf partitions got the
 * same kind of key, USING INDEX, earlier in this file (the server attaches those instead of building: PostgreSQL takes
 * no USING INDEX on a partitioned table itself). Known from the live database's partitions, or from the plan that wrote
 * the statement (a generated step that scans nothing).
 */
function leavesKeyed(statement: LintStatement, ctx: LintContext, key: string, contype: string): boolean {
  const leaves = ctx.live.partitions?.get(key)
  if (leaves === undefined) return statement.step !== undefined && !statement.step.scansTable
  const keyed = new Set<string>()
  for (const earlier of ctx.statements.slice(0, ctx.index)) {
    const alter = alterTable(earlier.node, ctx.traits.defaultNamespace)
    if (alter === undefined) continue
    for (const cmd of alter.cmds) {
      const c = cmd.subtype === 'AT_AddConstraint' ? constraintOf(cmd) : undefined
      if (c?.contype === contype && c.indexname !== undefined) keyed.add(alter.key)
    }
  }
  return leaves.length > 0 && leaves.every((leaf) => keyed.has(leaf))
}
