import type { LintStatement, Rule } from '../rule.js'

type Node = LintStatement['node']
type ResTarget = Extract<Node, { ResTarget: unknown }>['ResTarget']

/** UPDATE ... SET, an INSERT column list, ON CONFLICT DO UPDATE SET or a MERGE action that names one column twice. */
export const banDuplicateColumnAssignment: Rule = {
  id: 'ban-duplicate-column-assignment',
  severity: 'error',
  dialects: 'all',
  summary: 'UPDATE ... SET, an INSERT column list or ON CONFLICT DO UPDATE SET that names one column twice',
  why: 'PostgreSQL refuses an UPDATE that assigns the same column twice ("multiple assignments to same column") and an INSERT that lists a column twice ("column specified more than once"): the migration fails when it reaches it.',
  help: 'Assign each column once.',
  examples: {
    bad: "update users set plan = 'free', plan = 'pro' where id = 1;",
    good: "update users set plan = 'pro' where id = 1;",
  },
  statementKinds: ['UpdateStmt', 'InsertStmt', 'MergeStmt'],
  *checkStatement({ node }) {
    for (const targets of targetLists(node)) {
      const whole = new Set<string>()
      const parts = new Set<string>()
      for (const target of targets) {
        const name = target.name ?? ''
        // `SET a.x = 1, a.y = 2` and `SET a[1] = 1, a[2] = 2` assign parts of one column, which PostgreSQL allows;
        // a part beside the whole column it refuses.
        const partial = target.indirection !== undefined && target.indirection.length > 0
        if (whole.has(name) || (!partial && parts.has(name)))
          yield { message: `assigns ${name} twice: PostgreSQL refuses the statement`, at: target.location }
        ;(partial ? parts : whole).add(name)
      }
    }
  },
}

/** Every list of assigned columns in a statement: each is checked on its own. */
function targetLists(node: Node): readonly (readonly ResTarget[])[] {
  const targets = (list: readonly Node[] | undefined): readonly ResTarget[] =>
    (list ?? []).flatMap((n) => ('ResTarget' in n ? [n.ResTarget] : []))
  if ('UpdateStmt' in node) return [targets(node.UpdateStmt.targetList)]
  if ('InsertStmt' in node) {
    const insert = node.InsertStmt
    return [targets(insert.cols), targets(insert.onConflictClause?.targetList)]
  }
  if ('MergeStmt' in node) {
    return (node.MergeStmt.mergeWhenClauses ?? []).flatMap((c) =>
      'MergeWhenClause' in c ? [targets(c.MergeWhenClause.targetList)] : [],
    )
  }
  return []
}
