import type { Rule } from '../rule.js'

/** DROP SCHEMA. */
export const banDropSchema: Rule = {
  id: 'ban-drop-schema',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'DROP SCHEMA',
  why: 'DROP SCHEMA removes a whole namespace (with CASCADE, every table in it and all their rows).',
  help: 'Drop the objects in it explicitly, each after its own verification period, then the empty schema.',
  examples: {
    bad: 'drop schema reporting cascade;',
    good: '-- drop each table of reporting in its own migration first, then:\n-- keel:lint-ignore ban-drop-schema empty since 20261201\ndrop schema reporting;',
  },
  statementKinds: ['DropStmt'],
  *checkStatement({ node }) {
    if (!('DropStmt' in node) || node.DropStmt.removeType !== 'OBJECT_SCHEMA') return
    yield { message: 'drops a whole schema and what it holds' }
  },
}
