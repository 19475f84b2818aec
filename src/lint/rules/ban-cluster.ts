import type { Rule } from '../rule.js'

/** CLUSTER. */
export const banCluster: Rule = {
  id: 'ban-cluster',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'CLUSTER',
  why: 'CLUSTER rewrites the table in index order under ACCESS EXCLUSIVE: no reads or writes until it ends.',
  help: 'Use pg_repack (with --order-by) to reorder a table online, or leave the order to the planner.',
  examples: {
    bad: 'cluster users using users_pkey;',
    good: '-- pg_repack --table users --order-by id (outside migrations)',
  },
  statementKinds: ['ClusterStmt'],
  *checkStatement({ node }) {
    if (!('ClusterStmt' in node)) return
    yield { message: 'CLUSTER rewrites the table under ACCESS EXCLUSIVE, blocking reads and writes until it ends' }
  },
}
