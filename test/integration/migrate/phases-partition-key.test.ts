/**
 * Type changes that a partition forbids. A column a partition key reads (the table's, or a sub-partitioned partition's
 * below it) cannot change type in place (PostgreSQL: 42P16, with or without partitions): the phased plan stopped with
 * BACKFILL_NO_KEY, which said nothing of the cause, and the naive one (keel diff --unsafe) detached the partitions and
 * then failed on the server. Now the differ refuses it with error[PARTITION_KEY_TYPE] and what to do instead.
 *
 * A partition moved to another parent whose column has another type: it takes the new parent's type with the move, so
 * the change has no online form (a column built beside it would not match the parent's columns, which the attach
 * needs); the phased plan stopped with BACKFILL_NO_KEY too. Now it is the one-step detach, retype, attach, the retype
 * marked with why it has no online form (generate refuses it unless --allow-unsafe). PostgreSQL 15 and PGlite.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { KeelError } from '../../../src/errors.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { createProject, runKeel, type TestProject } from './project.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const phaseDialect = () => {
  const phased = phaseDialectOf(dialect)
  if (phased === undefined) throw new Error('PostgreSQL plans in phases')
  return phased
}

/** p by range of k, with p2 by list of s: k is p's key, s is p2's. */
const KEYED = (k: string, s: string) => `create table p (id int not null, k ${k} not null, s ${s} not null, v int,
  primary key (id, k, s)) partition by range (k);
create table p1 partition of p for values from (0) to (10);
create table p2 partition of p for values from (10) to (20) partition by list (s);
create table p2a partition of p2 for values in ('a');`

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (error) {
    return error instanceof KeelError ? error.code : String(error)
  }
  return undefined
}

describe.each(DIALECTS)('a type change of a partition key column on %s', (name) => {
  it.each([
    ['the partitioned table', 'bigint', 'text'],
    ['a sub-partitioned partition', 'int', 'varchar(5)'],
  ])('is refused with PARTITION_KEY_TYPE when the key is %s', { timeout: 120_000 }, async (_, k, s) => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(`${KEYED('int', 'text')}\ninsert into p values (1, 1, 'a', 1), (2, 12, 'a', 2);`)
        await goal.exec(KEYED(k, s))
        const from = await dialect.introspect(conn)
        const to = await dialect.introspect(goal)
        // The server's own refusal, which neither plan can get around.
        const column = k === 'int' ? 's' : 'k'
        await expect(conn.exec(`alter table p alter column ${column} type ${k === 'int' ? s : k}`)).rejects.toThrow(
          /partition key/,
        )
        expect(codeOf(() => diff(from, to, [], dialect))).toBe('PARTITION_KEY_TYPE')
        expect(codeOf(() => planPhases(from, to, [], phaseDialect()))).toBe('PARTITION_KEY_TYPE')
      })
    })
  })
})

const MOVE = (
  parent: string,
) => `create table pa (id int not null, k int not null, v int, primary key (id, k)) partition by range (k);
create table pb (id int not null, k int not null, v bigint, primary key (id, k)) partition by range (k);
create table q1 partition of ${parent} for values from (0) to (10);`

describe.each(DIALECTS)('a partition moved to a parent of another column type on %s', (name) => {
  it('is moved and retyped in one step, marked as having no online form, with every row', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await withReusedDatabase(name, async ({ conn: naive }) => {
          const rows = 'insert into pa select g, g % 10, g from generate_series(1, 30) g;'
          await conn.exec(`${MOVE('pa')}\n${rows}`)
          await naive.exec(`${MOVE('pa')}\n${rows}`)
          await goal.exec(MOVE('pb'))
          const from = await dialect.introspect(conn)
          const to = await dialect.introspect(goal)
          const plan = planPhases(from, to, [], phaseDialect())
          if (plan === undefined) throw new Error('the change is not phased')
          expect(plan.steps.filter((s) => s.noOnlineForm !== undefined).map((s) => s.sql)).toEqual([
            'ALTER TABLE public.q1 ALTER COLUMN v TYPE bigint',
          ])
          await applyPhasedPlan(conn, plan)
          await applyPlan(naive, dialect.plan(diff(from, to, [], dialect).changes, directPolicy))
          const after = await dialect.introspect(conn)
          expect(diff(after, to, [], dialect).changes).toEqual([])
          expect(diff(after, await dialect.introspect(naive), [], dialect).changes).toEqual([])
          const sum = 'select count(*)::int as n, sum(v)::int as s from pb'
          expect(await conn.query(sum)).toEqual([{ n: 30, s: 465 }])
        })
      })
    })
  })
})

describe('keel diff --unsafe, keel generate on PostgreSQL 15', () => {
  let project: TestProject
  beforeEach(() => {
    project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
  })
  afterEach(() => project.dispose())

  it('refuse a partition key type change with PARTITION_KEY_TYPE, and say why a moved partition has no online form', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase('postgres', async ({ url }) => {
      const schema = (sql: string) => writeFileSync(join(project.root, 'schema.sql'), sql)
      schema(`${KEYED('int', 'text')}\n${MOVE('pa')}`)
      expect((await runKeel(project, url, 'generate', 'init')).code).toBe(0)
      expect((await runKeel(project, url, 'migrate')).code).toBe(0)

      schema(`${KEYED('bigint', 'text')}\n${MOVE('pa')}`)
      for (const args of [
        ['diff', '--unsafe'],
        ['generate', 'retype'],
      ]) {
        const run = await runKeel(project, url, ...args)
        expect(run.code, run.stderr).toBe(2)
        expect(run.stderr).toContain('error[PARTITION_KEY_TYPE]: cannot change the type of public.p.k')
        expect(run.stderr).toContain('hint: Keep the column')
      }

      schema(`${KEYED('int', 'text')}\n${MOVE('pb')}`)
      const moved = await runKeel(project, url, 'generate', 'move')
      expect(moved.code, moved.stderr).toBe(1)
      expect(moved.stderr).toContain('error[NO_ONLINE_FORM]')
      expect(moved.stderr).toContain('public.q1 becomes a partition of public.pb, whose v has another type')
    })
  })
})
