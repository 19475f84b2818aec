/**
 * Planning in phases over what a stopped expand left (plan/leftover-sync.ts), on PostgreSQL 15 and PGlite: Keel's
 * marked sync function is taken as a leftover and the change finishes; an older Keel's unmarked one is too, when its
 * text is exactly Keel's; a function of that name Keel did not write is refused (SYNC_NAME_TAKEN), and a changed
 * backfill hint over a column the stopped expand added is refused (BACKFILL_CHANGED). The CLI's side is
 * test/cli/push-leftover-sync.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { KeelError } from '../../../src/errors.js'
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

const START = `create table t (id int primary key, a text not null);
insert into t select g, 'Row' || g from generate_series(1, 20) g;`

/** t with `b text not null`, filled by `hint` (a backfill hint is no database fact: set on the introspected goal). */
async function goal(conn: Connection, hint: string): Promise<Schema> {
  await conn.exec('create table t (id int primary key, a text not null, b text not null)')
  const schema = await dialect.introspect(conn)
  return {
    ...schema,
    tables: schema.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'b' ? { ...c, backfill: hint } : c)),
    })),
  }
}

async function plan(conn: Connection, to: Schema): Promise<Plan> {
  const phaseDialect = phaseDialectOf(dialect)
  if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
  const planned = planPhases(await dialect.introspect(conn), to, [], phaseDialect)
  if (planned === undefined) throw new Error('the change is not phased')
  return planned
}

const expandOf = (p: Plan, keep: (sql: string) => boolean = () => true): Plan => ({
  ...p,
  steps: p.steps.filter((s) => s.phase === 'expand' && keep(s.sql)),
})

async function refusal(run: () => Promise<unknown>): Promise<KeelError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof KeelError) return error
    throw error
  }
  throw new Error('not refused')
}

describe.each(DIALECTS)('a phased change planned over a stopped expand on %s', (name) => {
  it('finishes over its own marked leftovers; a changed hint is refused', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: other }) => {
        await conn.exec(START)
        const upper = await goal(other, 'upper(a)')
        await applyPhasedPlan(conn, expandOf(await plan(conn, upper)))
        await conn.exec(`insert into t (id, a) values (21, 'Late')`)

        const lower = {
          ...upper,
          tables: upper.tables.map((t) => ({
            ...t,
            columns: t.columns.map((c) => (c.name === 'b' ? { ...c, backfill: 'lower(a)' } : c)),
          })),
        }
        const changed = await refusal(() => plan(conn, lower))
        expect(changed.code).toBe('BACKFILL_CHANGED')

        const again = await plan(conn, upper)
        expect(again.steps.some((s) => /^DROP (FUNCTION|TRIGGER)/.test(s.sql) && s.phase === 'expand')).toBe(false)
        await applyPhasedPlan(conn, again)
        expect(diff(await dialect.introspect(conn), upper, [], dialect).changes).toEqual([])
        expect(await conn.query('select count(*)::int as n from t where b = upper(a)')).toEqual([{ n: 21 }])
      })
    })
  })

  it("takes an older Keel's unmarked function as a leftover only when its text is exactly Keel's", {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: other }) => {
        await conn.exec('create table u (id int primary key, n int); insert into u values (1, 1), (2, 2);')
        await other.exec('create table u (id int primary key, n bigint)')
        const to = await dialect.introspect(other)
        // What an older Keel's expand did: the same function and trigger, no mark.
        await applyPhasedPlan(
          conn,
          expandOf(await plan(conn, to), (sql) => !sql.startsWith('COMMENT ON FUNCTION')),
        )
        expect(await conn.query("select obj_description('u_keel_sync'::regproc, 'pg_proc') as mark")).toEqual([
          { mark: null },
        ])
        await applyPhasedPlan(conn, await plan(conn, to))
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, n::int as n from u order by id')).toEqual([
          { id: 1, n: 1 },
          { id: 2, n: 2 },
        ])
      })
    })
  })

  it('refuses a function of that name it did not write, and leaves it', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: other }) => {
        await conn.exec(`create table u (id int primary key, n int);
          create function u_keel_sync() returns trigger language plpgsql as $$ begin return new; end $$;`)
        await other.exec('create table u (id int primary key, n bigint)')
        const taken = await refusal(async () => plan(conn, await dialect.introspect(other)))
        expect(taken.code).toBe('SYNC_NAME_TAKEN')
        expect(taken.message).toContain('a function of that name that Keel did not write')
      })
    })
  })
})
