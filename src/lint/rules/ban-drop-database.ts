import type { Rule } from '../rule.js'

/** DROP DATABASE. */
export const banDropDatabase: Rule = {
  id: 'ban-drop-database',
  severity: 'error',
  dialects: ['postgres', 'pglite', 'mysql'],
  summary: 'DROP DATABASE',
  why: 'A migration that drops a database destroys everything in it; no down brings it back.',
  help: 'Drop databases by hand, outside migrations, after a backup.',
  examples: {
    bad: 'drop database analytics;',
    good: '-- outside migrations, after a backup',
  },
  statementKinds: ['DropdbStmt'],
  *checkStatement({ node }) {
    if (!('DropdbStmt' in node)) return
    yield { message: `drops database ${node.DropdbStmt.dbname ?? ''} and everything in it` }
  },
}
