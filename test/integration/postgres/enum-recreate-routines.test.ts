/**
 * An enum that loses a value is recreated in place by the direct plan (keel diff, generate --unsafe, push). Beyond the
 * views, checks, indexes and defaults that cast to it (enum-recreate-casts.test.ts), PostgreSQL also keeps depending on
 * the old type: a stored generated column whose expression casts to it, and a SQL-standard routine body (RETURN ...,
 * BEGIN ATOMIC ... END) that names it, with everything that calls that routine (a view, a check, a partial index, a
 * generated column, another such body), and row-level security policies and a trigger's WHEN that cast to it or
 * call such a routine. DROP TYPE, or the DROP FUNCTION of the routine, failed with 2BP01. A PL/pgSQL
 * body that names the type is not recorded at all, but a session that ran it keeps the old type's oid and fails after
 * the recreation ("cache lookup failed for type"). And a column default that calls such a routine cannot be put back
 * in the right order: planning is refused, naming it. Applied on PostgreSQL 15 and PGlite with rows kept.
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
create function "Shop".is_happy(m text) returns boolean language sql immutable
  return m::"Shop"."Mood" = 'happy'::"Shop"."Mood";
create table "Shop".posts (
  id int primary key,
  m text not null,
  sure boolean generated always as (m <> '' and 'happy'::"Shop"."Mood" is not null) stored,
  happy boolean generated always as ("Shop".is_happy(m)) stored,
  constraint m_checked check ("Shop".is_happy(m) or m <> '')
);
create index posts_happy on "Shop".posts (id) where "Shop".is_happy(m);
alter table "Shop".posts enable row level security;
create policy moods_only on "Shop".posts using (m::"Shop"."Mood" is not null);
create policy happy_writes on "Shop".posts for insert with check ("Shop".is_happy(m) or m <> '');
create function "Shop".mark() returns trigger language plpgsql as $$ begin new.m := new.m || ''; return new; end $$;
create trigger happy_mark before update on "Shop".posts for each row
  when (new.m::"Shop"."Mood" = 'happy'::"Shop"."Mood") execute function "Shop".mark();
create view "Shop".happy_posts as select id, sure from "Shop".posts where "Shop".is_happy(m);
create function "Shop".happy_count() returns bigint language sql stable
begin atomic
  select count(*) from "Shop".posts where "Shop".is_happy(m);
end;
create function "Shop".moodify(t text) returns text language plpgsql as $$
declare v "Shop"."Mood";
begin
  v := t::"Shop"."Mood";
  return v::text || '!';
end $$;
insert into "Shop".posts (id, m) values (1, 'ok'), (2, 'happy'), (3, 'ok');
`

describe.each(DIALECTS)('an enum recreated in place on %s', (name) => {
  it('keeps the generated columns and SQL-standard routines bound to it, and what calls them, there and back', {
    timeout: 120_000,
  }, async () => {
    await withDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      // This session compiles the PL/pgSQL function against the old type.
      expect(await conn.query(`select "Shop".moodify('ok') as v`)).toEqual([{ v: 'ok!' }])
      const from = await dialect.introspect(conn)
      const goal = withValues(from, ['ok', 'happy', 'great'])

      await applyPlan(conn, dialect.plan(diff(from, goal, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
      expect(await conn.query('select id, m, sure, happy from "Shop".posts order by id')).toEqual([
        { id: 1, m: 'ok', sure: true, happy: false },
        { id: 2, m: 'happy', sure: true, happy: true },
        { id: 3, m: 'ok', sure: true, happy: false },
      ])
      expect(await conn.query('select id from "Shop".happy_posts')).toEqual([{ id: 2 }])
      expect(await conn.query('select "Shop".happy_count()::int as n')).toEqual([{ n: 1 }])
      await conn.exec(`update "Shop".posts set m = 'happy' where id = 2`)
      // The same session, after the recreation: the function was compiled again against the new type.
      expect(await conn.query(`select "Shop".moodify('great') as v`)).toEqual([{ v: 'great!' }])

      // Back: 'sad' returns, 'great' goes.
      await applyPlan(conn, dialect.plan(diff(goal, from, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await conn.query('select count(*)::int as n from "Shop".posts')).toEqual([{ n: 3 }])
      expect(await conn.query(`select "Shop".moodify('sad') as v`)).toEqual([{ v: 'sad!' }])
    })
  })

  it('refuses to plan it while a column default calls such a routine, naming the column', async () => {
    await withDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      await conn.exec(`alter table "Shop".posts add column flagged boolean default "Shop".is_happy('ok')`)
      const from = await dialect.introspect(conn)
      const changes = diff(from, withValues(from, ['ok', 'happy']), [], options).changes
      expect(() => dialect.plan(changes, directPolicy)).toThrow(
        /cannot recreate enum Shop\.Mood in place.*the default of column Shop\.posts\.flagged calls Shop\.is_happy/,
      )
      // The hint names the column and the migrations, not a generic "drop the default, say".
      expect(() => dialect.plan(changes, directPolicy)).toThrow(
        expect.objectContaining({
          hint: "Drop the default of column Shop.posts.flagged in a migration of its own first, then set it again in one after the enum changes. Or keep the enum's values and add new ones only (ALTER TYPE ... ADD VALUE needs no recreation).",
        }),
      )
      expect(await conn.query('select count(*)::int as n from "Shop".posts')).toEqual([{ n: 3 }])
    })
  })
})
