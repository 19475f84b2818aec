/**
 * A column moved off a domain in the same change that makes the domain anew (its base type changes). The plan dropped
 * the domain (in `createDomain`) before it retyped the column (in `alterColumn`), so the differ refused it with
 * error[DOMAIN_IN_USE]. Now the column's type changes just before the drop, in the direct plan and in the phased one
 * (its new column swapped in at contract), and one apply reaches the goal with every row. PostgreSQL 15 and PGlite
 * (pg_dump compared on PostgreSQL).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const ROWS = 'insert into t values (1, 1, 10), (2, 2, 20);'

// Each: the column's table and domains now, then in the goal (d1 int made bigint beside them).
const LEAVERS = {
  'to its base type': [
    'create table t (id int primary key, x d1, y int);',
    'create table t (id int primary key, x bigint, y int);',
  ],
  'to a new domain': [
    'create table t (id int primary key, x d1, y int);',
    'create domain d1_big as bigint; create table t (id int primary key, x d1_big, y int);',
  ],
  'to its base type, NOT NULL and a default': [
    'create table t (id int primary key, x d1 default 5, y int);',
    'create table t (id int primary key, x bigint not null default 7, y int);',
  ],
  // The other column stays on a domain that is not made anew.
  'beside a column of another domain': [
    'create domain other as int; create table t (id int primary key, x d1, y other);',
    'create domain other as int; create table t (id int primary key, x bigint, y other);',
  ],
  // Not a leaver: a column moved onto the domain, which the phased plan builds beside the old one on the domain made
  // anew (the expand keeps the old domain only while an old column has it).
  'a column moved onto it instead': [
    'create table t (id int primary key, x int, y int);',
    'create table t (id int primary key, x d1, y int);',
  ],
} as const

describe.each(DIALECTS)('a column moved off a domain made anew on %s', (name) => {
  const setUp = async (
    conn: { exec(sql: string): Promise<unknown> },
    goal: typeof conn,
    before: string,
    after: string,
  ) => {
    await conn.exec(`create domain d1 as int;\n${before}\n${ROWS}`)
    await goal.exec(`create domain d1 as bigint;\n${after}`)
  }

  it.each(Object.entries(LEAVERS))(
    'is retyped first in the direct plan: %s',
    { timeout: 120_000 },
    async (_, [before, after]) => {
      await withReusedDatabase(name, async (current) => {
        await withReusedDatabase(name, async (goal) => {
          await setUp(current.conn, goal.conn, before, after)
          const to = await dialect.introspect(goal.conn)
          const plan = dialect.plan(diff(await dialect.introspect(current.conn), to, [], dialect).changes, directPolicy)
          await applyPlan(current.conn, plan)
          expect(diff(await dialect.introspect(current.conn), to, [], dialect).changes).toEqual([])
          expect(await current.conn.query('select id, x::int as x, y::int as y from t order by id')).toEqual([
            { id: 1, x: 1, y: 10 },
            { id: 2, x: 2, y: 20 },
          ])
          if (name === 'postgres')
            expect(normalizePgDump(await pgDumpSchema(current.url))).toEqual(
              normalizePgDump(await pgDumpSchema(goal.url)),
            )
        })
      })
    },
  )

  it.each(Object.entries(LEAVERS))(
    'is retyped first in the phased plan: %s',
    { timeout: 120_000 },
    async (_, [before, after]) => {
      await withReusedDatabase(name, async (current) => {
        await withReusedDatabase(name, async (goal) => {
          await setUp(current.conn, goal.conn, before, after)
          const to = await dialect.introspect(goal.conn)
          const phaseDialect = phaseDialectOf(dialect)
          if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
          const plan = planPhases(await dialect.introspect(current.conn), to, [], phaseDialect)
          if (plan === undefined) throw new Error('the change is not phased')
          await applyPhasedPlan(current.conn, plan)
          expect(diff(await dialect.introspect(current.conn), to, [], dialect).changes).toEqual([])
          expect(await current.conn.query('select id, x::int as x, y::int as y from t order by id')).toEqual([
            { id: 1, x: 1, y: 10 },
            { id: 2, x: 2, y: 20 },
          ])
          if (name === 'postgres')
            expect(normalizePgDump(await pgDumpSchema(current.url))).toEqual(
              normalizePgDump(await pgDumpSchema(goal.url)),
            )
        })
      })
    },
  )
})
