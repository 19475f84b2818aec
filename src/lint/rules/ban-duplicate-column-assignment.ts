import type { Rule } from '../rule.js'

/** UPDATE ... SET that assigns one column twice. */
export const banDuplicateColumnAssignment: Rule = {
  id: 'ban-duplicate-column-assignment',
  severity: 'error',
  dialects: 'all',
  summary: 'UPDATE ... SET that assigns one column twice',
  why: 'PostgreSQL refuses an UPDATE that assigns the same column twice ("multiple assignments to same column"): the migration fails when it reaches it.',
  help: 'Assign each column once.',
  examples: {
    bad: "update users set plan = 'free', plan = 'pro' where id = 1;",
    good: "update users set plan = 'pro' where id = 1;",
  },
  *checkStatement({ node }) {
    if (!('UpdateStmt' in node)) return
    const seen = new Set<string>()
    for (const target of node.UpdateStmt.targetList ?? []) {
      const name = 'ResTarget' in target ? (target.ResTarget.name ?? '') : ''
      if (seen.has(name))
        yield {
          message: `assigns ${name} twice: PostgreSQL refuses the statement`,
          at: 'ResTarget' in target ? target.ResTarget.location : undefined,
        }
      seen.add(name)
    }
  },
}
