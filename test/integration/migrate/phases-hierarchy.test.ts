/**
 * A phased change (a dropped column: its drop waits for the contract) on a table whose INHERITS child is
 * un-inherited in the same plan: the child keeps the parent's columns as its own. planPhases diffed without the
 * dialect's table hierarchy (phaseDialectOf passed none, so keel generate and keel push did not either): every table
 * stood alone, and the expand added to the child the columns it already holds (42701) instead of NO INHERIT. Planned
 * with phaseDialectOf as the commands do, applied phase after phase with the runner: PostgreSQL 15 and PGlite.
 *
 * A retyped column of a table with an INHERITS child: the sync trigger was only on the parent, and a write to the
 * child fires the child's triggers only, so a row inserted into the child after the backfill kept NULL in the new
 * column, and an update through the child was lost, at the contract.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import type { Plan } from '../../../src/plan/step.js'
import type { Schema } from '../../../src/schema/model.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

/** A parent p with a row, and its INHERITS child c with a row and a column of its own: where each test starts. */
const PARENT_AND_CHILD = `create table p (id int primary key, n int);
create table c (extra text) inherits (p);
insert into p values (1, 10);
insert into c values (2, 20, 'x');`

/**
 * The phased plan from the database `conn` holds to the one `goal` holds, planned as the commands plan it
 * (phaseDialectOf), with the goal's schema and a filter of the plan by phase.
 */
async function phasedPlan(
  conn: Connection,
  goal: Connection,
): Promise<{ plan: Plan; to: Schema; phase: (p: string) => Plan }> {
  const from = await dialect.introspect(conn)
  const to = await dialect.introspect(goal)
  const phaseDialect = phaseDialectOf(dialect)
  if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
  const plan = planPhases(from, to, [], phaseDialect)
  if (plan === undefined) throw new Error('the change is not phased')
  return { plan, to, phase: (p) => ({ ...plan, steps: plan.steps.filter((s) => s.phase === p) }) }
}

describe.each(DIALECTS)('a phased change beside a child un-inherited on %s', (name) => {
  it('keeps the child whole and drops the parent column at the contract', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(PARENT_AND_CHILD)
        await goal.exec('create table p (id int primary key); create table c (id int not null, n int, extra text);')
        const { plan, to } = await phasedPlan(conn, goal)
        expect(plan.steps.filter((s) => /\bDROP COLUMN\b/.test(s.sql)).map((s) => s.phase)).toEqual(['contract'])

        await applyPhasedPlan(conn, plan)
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, n, extra from c')).toEqual([{ id: 2, n: 20, extra: 'x' }])
        expect(await conn.query('select id from p')).toEqual([{ id: 1 }])
      })
    })
  })
})

describe.each(DIALECTS)('a column retyped in phases on a parent of an INHERITS child on %s', (name) => {
  it('keeps writes through the child in step between expand and contract', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(PARENT_AND_CHILD)
        await goal.exec('create table p (id int primary key, n bigint); create table c (extra text) inherits (p);')
        const { to, phase } = await phasedPlan(conn, goal)

        await applyPhasedPlan(conn, phase('expand'))
        await conn.exec(`insert into c values (3, 30, 'y')`)
        await applyPhasedPlan(conn, phase('backfill'))
        // The old release keeps writing through the child after the backfill.
        await conn.exec(`insert into c values (4, 40, 'z'); update c set n = 21 where id = 2`)
        await applyPhasedPlan(conn, phase('contract'))

        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, n::int as n from p order by id')).toEqual([
          { id: 1, n: 10 },
          { id: 2, n: 21 },
          { id: 3, n: 30 },
          { id: 4, n: 40 },
        ])
      })
    })
  })
})

// The child leaves its parent in the expand (NO INHERIT) and keeps the parent's columns as its own, NOT NULL ones
// too. The expansion read only the child's own columns: the parent's looked new to it, a NOT NULL one nothing fills
// was relaxed in the expand (DROP NOT NULL) to be proven again at the contract, and a row written in between with
// NULL there made the contract's validation fail.
describe.each(DIALECTS)('a child un-inherited beside a column retyped in phases on %s', (name) => {
  it('keeps its NOT NULL columns NOT NULL between expand and contract', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(PARENT_AND_CHILD)
        await goal.exec(
          'create table p (id int primary key, n bigint); create table c (id int not null, n int, extra text);',
        )
        const { to, phase } = await phasedPlan(conn, goal)

        await applyPhasedPlan(conn, phase('expand'))
        await expect(conn.exec(`insert into c (n, extra) values (30, 'no id')`)).rejects.toThrow(/"id"/)
        await conn.exec(`insert into c values (3, 30, 'y')`)
        await applyPhasedPlan(conn, phase('backfill'))
        await applyPhasedPlan(conn, phase('contract'))

        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, n, extra from c order by id')).toEqual([
          { id: 2, n: 20, extra: 'x' },
          { id: 3, n: 30, extra: 'y' },
        ])
        expect(await conn.query('select id, n::int as n from p')).toEqual([{ id: 1, n: 10 }])
      })
    })
  })
})

// The other way: a table joins a parent (INHERIT) in the same plan as a phased change. Its columns that the parent has
// too are merged, and the model leaves them out of the child: the expansion took them for dropped columns, relaxed
// their NOT NULL in the expand (INHERIT then refused the child, 42804) and dropped them at the contract.
describe.each(DIALECTS)('a table made to inherit beside a phased change on %s', (name) => {
  it('keeps the columns it shares with its new parent, NOT NULL included', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(`create table p (id int primary key, n int);
          create table c (id int not null, n int, extra text);
          create table t (id int primary key, v int);
          insert into c values (5, 50, 'e');`)
        await goal.exec(`create table p (id int primary key, n int);
          create table c (extra text) inherits (p);
          create table t (id int primary key, v bigint);`)
        const { to, phase } = await phasedPlan(conn, goal)

        await applyPhasedPlan(conn, phase('expand'))
        await expect(conn.exec(`insert into c (n, extra) values (60, 'no id')`)).rejects.toThrow(/"id"/)
        await applyPhasedPlan(conn, phase('backfill'))
        await applyPhasedPlan(conn, phase('contract'))

        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, n, extra from c')).toEqual([{ id: 5, n: 50, extra: 'e' }])
        expect(await conn.query('select id, n from p')).toEqual([{ id: 5, n: 50 }])
      })
    })
  })
})
