/**
 * An enum that loses a value is recreated in place by the direct plan (keel diff, generate --unsafe, push): renamed
 * away, created again, its columns converted, the old type dropped. What names the type only in a cast (a view's
 * CAST(m AS "Shop"."Mood") over a text column, a check, a text column's default
 * ('happy'::"Shop"."Mood")::text) depends on the old type, and DROP TYPE failed with 2BP01 until the differ found them
 * with PostgreSQL's parser (diff/enum-dependents.ts): they are dropped before and made again after, in the plan's
 * one transaction. Applied there and back, each time equal to its target by introspection, rows kept.
 */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { dialect, options, prepareParser, withValues } from './enum-recreate.js'

prepareParser()

const SETUP = `
create schema "Shop";
create type "Shop"."Mood" as enum ('sad', 'ok', 'happy');
create table "Shop".posts (
  id int primary key,
  m text not null default 'ok',
  mm "Shop"."Mood" default 'ok',
  label text default ('happy'::"Shop"."Mood")::text,
  constraint m_is_mood check (CAST(m AS "Shop"."Mood") is not null)
);
create view "Shop".moods as select id, CAST(m AS "Shop"."Mood") as mood from "Shop".posts;
create view "Shop".over_moods as select id from "Shop".moods;
insert into "Shop".posts (id, m, mm) values (1, 'ok', 'ok'), (2, 'happy', 'happy');
`

describe.each(DIALECTS)('an enum recreated in place on %s', (name) => {
  it('keeps the views, check and default that cast to it, there and back', { timeout: 120_000 }, async () => {
    await withDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      const from = await dialect.introspect(conn)
      const goal = withValues(from, ['ok', 'happy', 'great'])

      await applyPlan(conn, dialect.plan(diff(from, goal, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
      expect(await conn.query('select id, mood::text as mood from "Shop".moods order by id')).toEqual([
        { id: 1, mood: 'ok' },
        { id: 2, mood: 'happy' },
      ])
      await expect(conn.exec(`insert into "Shop".posts (id, m) values (3, 'sad')`)).rejects.toThrow(/sad/)
      await conn.exec(`insert into "Shop".posts (id, m) values (4, 'great')`)
      expect(await conn.query('select label from "Shop".posts where id = 4')).toEqual([{ label: 'happy' }])

      // Back: 'great' goes (the row holding it first), 'sad' returns.
      await conn.exec(`delete from "Shop".posts where id = 4`)
      await applyPlan(conn, dialect.plan(diff(goal, from, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await conn.query('select id, m, mm::text as mm from "Shop".posts order by id')).toEqual([
        { id: 1, m: 'ok', mm: 'ok' },
        { id: 2, m: 'happy', mm: 'happy' },
      ])
    })
  })
})
