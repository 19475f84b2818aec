import type { Rule } from '../rule.js'
import { alterTable } from '../sql/ast.js'

/** ALTER TABLE ... DETACH PARTITION without CONCURRENTLY. */
export const requireConcurrentPartitionDetach: Rule = {
  id: 'require-concurrent-partition-detach',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'ALTER TABLE ... DETACH PARTITION without CONCURRENTLY',
  why: 'DETACH PARTITION takes ACCESS EXCLUSIVE on the parent table: every query on the partitioned table waits. DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) takes SHARE UPDATE EXCLUSIVE.',
  help: 'Use DETACH PARTITION ... CONCURRENTLY in a migration that starts with `-- keel:no-transaction`.',
  examples: {
    bad: 'alter table events detach partition events_2025;',
    good: '-- keel:no-transaction\nalter table events detach partition events_2025 concurrently;',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined || ctx.isNew(alter.key)) return
    for (const cmd of alter.cmds) {
      if (
        cmd.subtype !== 'AT_DetachPartition' ||
        (cmd.def !== undefined && 'PartitionCmd' in cmd.def && cmd.def.PartitionCmd.concurrent === true)
      )
        continue
      yield {
        message: `detaches a partition of ${alter.key} under ACCESS EXCLUSIVE on the parent, blocking every query on it`,
      }
    }
  },
}
