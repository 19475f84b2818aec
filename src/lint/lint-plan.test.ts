import { describe, expect, it } from 'vitest'
import type { Step } from '../plan/step.js'
import { lintSteps } from './lint-plan.js'

/** A step as the planner writes it; only the facts the rules read matter here. */
function step(sql: string, facts: Partial<Step>): Step {
  return {
    sql,
    reverse: { sql: 'select 1' },
    transactional: true,
    lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [{ schema: 'public', name: 'users' }] },
    rewritesTable: false,
    scansTable: false,
    dataLoss: 'none',
    phase: 'expand',
    source: { kind: 'renameTable', from: { name: 'a' }, to: { name: 'b' } },
    comment: sql,
    ...facts,
  }
}

describe('lintSteps', () => {
  it("uses the step's facts: its lock names every table it locks", async () => {
    const sql = 'ALTER TABLE public.users ALTER COLUMN id TYPE bigint'
    const retype = step(sql, {
      rewritesTable: true,
      lock: {
        mode: 'ACCESS EXCLUSIVE',
        blocks: 'readsAndWrites',
        on: [
          { schema: 'public', name: 'users' },
          { schema: 'public', name: 'posts' },
        ],
      },
    })
    const linted = await lintSteps('diff', `${sql};\n`, [retype], undefined)
    expect(linted.findings.map((f) => [f.rule, f.line, f.message])).toEqual([
      [
        'ban-alter-column-type',
        1,
        'changes the type of users.id to bigint: rewrites the table and its indexes under ACCESS EXCLUSIVE on public.users, public.posts, blocking reads and writes',
      ],
    ])
  })

  it('stays quiet about a type change the planner knows rewrites nothing', async () => {
    const sql = 'ALTER TABLE public.users ALTER COLUMN name TYPE varchar(50)'
    const linted = await lintSteps('diff', `-- widen\n${sql};\n`, [step(sql, {})], undefined)
    expect(linted.findings).toEqual([])
  })
})
