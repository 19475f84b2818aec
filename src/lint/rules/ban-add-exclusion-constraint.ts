import type { Rule } from '../rule.js'
import { alterTable, constraintOf } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/** ADD CONSTRAINT ... EXCLUDE on an existing table. */
export const banAddExclusionConstraint: Rule = {
  id: 'ban-add-exclusion-constraint',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD CONSTRAINT ... EXCLUDE on an existing table',
  why: 'An exclusion constraint builds its index and checks every row under ACCESS EXCLUSIVE, and unlike a unique constraint it cannot be added NOT VALID or from an index built concurrently.',
  help: 'Add it when the table is created, or in a maintenance window; check first how long the build takes on a production-sized copy.',
  examples: {
    bad: 'alter table bookings add constraint no_overlap exclude using gist (room with =, during with &&);',
    good: 'create table bookings (room int, during tstzrange, exclude using gist (room with =, during with &&));',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const c = cmd.subtype === 'AT_AddConstraint' ? constraintOf(cmd) : undefined
      if (c?.contype !== 'CONSTR_EXCLUSION') continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      yield {
        message:
          `adds exclusion constraint ${c.conname ?? ''} on ${alter.key}: builds and checks under ACCESS EXCLUSIVE, blocking reads and writes`.replace(
            '  ',
            ' ',
          ),
        at: c.location,
        ...size,
      }
    }
  },
}
