/**
 * The plans of test/lint/generated-recreation-steps.test.ts on real PostgreSQL 15: an enum recreated in place (a
 * stored generated column reads its column) with a partial index that reads the enum built again in the recreation's
 * transaction, or a check that reads it added there. The steps now say they have no online form; the SQL is the same
 * as generate writes it (--allow-unsafe), and applied phase after phase it converges on the goal with the rows kept.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { loadRuntimes } from '../../../src/dialect/runtimes.js'
import { diff } from '../../../src/diff/diff.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { acceptedSteps, lintGenerated } from '../../../src/migrate/blocking-steps.js'
import { renderMigrations } from '../../../src/migrate/render-migration.js'
import { planPhases } from '../../../src/plan/phases.js'
import { withDatabase } from '../../support/databases.js'

const dialect = getDialect('postgres')
beforeAll(async () => {
  await loadRuntimes()
  await dialect.phaseSql?.prepare()
})

const TABLE = `create table notes (
  id bigint primary key, c mood, d int,
  h boolean generated always as (c = 'p'::mood) stored`
const ROWS = `insert into notes (id, c, d) values (1, 'p', 1), (2, 'q', 2), (3, null, 3);`

const CASES = [
  {
    what: 'a partial index that reads the enum, built again in the recreation',
    start: `create type mood as enum ('p', 'r', 'q'); ${TABLE});
      create index notes_partial_idx on notes (id) where c = 'p'; ${ROWS}`,
    goal: `create type mood as enum ('q', 'p', 'r'); ${TABLE});
      create index notes_partial_idx on notes (id) where c = 'p';`,
  },
  {
    what: 'a check that reads the enum, added in the recreation',
    start: `create type mood as enum ('p', 'r', 'q'); ${TABLE}); ${ROWS}`,
    goal: `create type mood as enum ('q', 'p', 'r'); ${TABLE},
      constraint notes_c_check check (c <> 'r'::mood), constraint notes_d_check check (d > 0));`,
  },
]

describe.each(CASES)('$what on PostgreSQL 15', ({ start, goal }) => {
  it('applies the SQL generate writes and converges on the goal', { timeout: 120_000 }, async () => {
    await withDatabase('postgres', async ({ conn }) => {
      await withDatabase('postgres', async ({ conn: target }) => {
        await conn.exec(start)
        await target.exec(goal)
        const from = await dialect.introspect(conn)
        const to = await dialect.introspect(target)
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(from, to, [], phaseDialect)
        if (plan === undefined) throw new Error('expected a phased plan')
        // What generate --allow-unsafe writes: each step's SQL as planned, the blocking ones marked.
        const rendered = renderMigrations(plan, { unsafe: false, phased: true })
        const linted = await lintGenerated(
          rendered.map((migration, i) => ({ id: `2026010100000${i}_generated`, file: `${i}/up.sql`, migration })),
          { dialect: 'postgres' },
        )
        expect(linted.blocking.filter((b) => b.step.noOnlineForm === undefined).map((b) => b.step.sql)).toEqual([])
        const written = renderMigrations(plan, {
          unsafe: false,
          phased: true,
          accepted: acceptedSteps(linted.blocking),
        })
          .map((m) => m.files['up.sql'])
          .join('\n')
        for (const step of plan.steps) expect(written).toContain(step.sql)

        await applyPhasedPlan(conn, plan)
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, c::text as c, d, h from notes order by id')).toEqual([
          { id: '1', c: 'p', d: 1, h: true },
          { id: '2', c: 'q', d: 2, h: false },
          { id: '3', c: null, d: 3, h: null },
        ])
      })
    })
  })
})
