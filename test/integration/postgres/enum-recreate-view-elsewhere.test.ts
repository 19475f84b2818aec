/**
 * A view that reads a column an enum recreation converts in place, from another table's side (a join, the column
 * under another name), names neither the type nor shares a lock with the conversion: its drop was left out of the
 * recreation's run. The planner's order put it before a concurrent index step on the view's other table, so it was
 * committed in a transaction of its own (keel push's applyPlan, keel diff's script, generate's one-migration plan), and
 * a conversion that then failed (a row still holds the removed value) left the view dropped. Now its drop is in the
 * run (migrate/whole-runs.ts: a drop before the recreation of what reads a converted column), and the concurrent
 * index step, which no view reads, goes before the run. The plan is the safe policy's one-migration plan, applied as
 * push applies a plan, on PostgreSQL 15.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import type { Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { POSTGRES_URL, withDatabase } from '../../support/databases.js'

const dialect = getDialect('postgres')

const tables = (values: string, index: string) => `create type mood as enum (${values});
create table posts (id int primary key, m mood, g boolean generated always as (m = 'ok') stored);
create table other (id int primary key, n int);
${index};
create view other_v as select o.id, p.m as feeling from other o join posts p on p.id = o.id;
create view moods_v as select id, m::text as t from posts where m <> 'sad';
`
const from = tables("'sad', 'ok', 'happy'", 'create index other_n_idx on other (n)')
const to = tables("'sad', 'ok'", 'create index other_id_n_idx on other (id, n)')

const views = async (conn: Connection) =>
  (
    await conn.query<{ name: string }>("select viewname as name from pg_views where schemaname = 'public' order by 1")
  ).map((v) => v.name)

const moods = async (conn: Connection) =>
  ((await conn.query<{ values: string }>('select enum_range(null::mood)::text as values')) as [{ values: string }])[0]
    .values

describe('an enum recreated in place, a view over a converted column joined from another table', () => {
  it('keeps the view when the conversion fails, and applies once the row is fixed', async () => {
    await withDatabase('postgres', async ({ conn }) => {
      await conn.exec(`${from}insert into posts (id, m) values (1, 'happy');`)
      const target = await createScratchDatabase(POSTGRES_URL, 'keel_view_elsewhere')
      let goal: Schema
      try {
        await target.conn.exec(to)
        goal = await dialect.introspect(target.conn)
      } finally {
        await target.dispose()
      }
      const planFrom = async () => {
        const current = await dialect.introspect(conn)
        return dialect.plan(diff(current, goal).changes, safePolicy, { from: current, to: goal })
      }
      const plan = await planFrom()
      // The concurrent steps on other are what split the planner's order.
      expect(plan.steps.filter((s) => !s.transactional).map((s) => s.sql)).toEqual([
        'DROP INDEX CONCURRENTLY public.other_n_idx',
        'CREATE INDEX CONCURRENTLY other_id_n_idx ON public.other (id, n)',
      ])
      await expect(applyPlan(conn, plan)).rejects.toThrow(/invalid input value for enum mood/)
      expect(await views(conn)).toEqual(['moods_v', 'other_v'])
      expect(await moods(conn)).toBe('{sad,ok,happy}')

      await conn.exec("update posts set m = 'ok'")
      await applyPlan(conn, await planFrom())
      expect(await views(conn)).toEqual(['moods_v', 'other_v'])
      expect(await moods(conn)).toBe('{sad,ok}')
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
    })
  })
})
