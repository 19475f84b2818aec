/**
 * A domain over an enum that is recreated (a value removed or reordered, or an ADD VALUE undone by down.sql): the
 * domain's columns go to text and back around the new type. What reads those columns, a check, an expression or
 * partial index, a stored generated column, a policy, a trigger, a view, is dropped before and created again after,
 * as for the enum's own columns; before, the recreation was refused ("is read by check ..."), and the reverse of an
 * ADD VALUE ignored the domain altogether and failed at DROP TYPE (2BP01). A foreign key between two columns of the
 * enum itself is moved the same way (it failed with 42804 once one side was converted), and so is a trigger whose
 * WHEN names one (0A000). PostgreSQL cannot make a foreign key over a column of a domain over an enum at all (42804
 * "cannot be implemented"), so there is none here. Run on PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { runScript } from '../../support/run-script.js'
import { dialect, options, prepareParser, withValues } from './enum-recreate.js'

// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

prepareParser()

const SETUP = `
create type mood as enum ('sad', 'ok', 'happy');
create domain mood_d as mood;
create table parent (id int primary key, m mood_d unique, r mood unique);
create table child (
  id int primary key,
  m mood_d,
  r mood references parent (r),
  known boolean generated always as (m is not null) stored,
  constraint child_m_known check (m::mood <> 'sad')
);
create index child_m_ok on child ((m::mood = 'ok'));
create index child_not_ok on child (id) where m::mood <> 'ok';
alter table child enable row level security;
create policy child_seen on child using (m is not null);
create view child_moods as select id, m from child;
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger child_touch before update on child
  for each row when (new.m is not null or new.r is not null) execute function touch();
insert into parent values (1, 'ok', 'ok'), (2, 'happy', 'happy');
insert into child values (1, 'ok', 'ok'), (2, 'happy', null), (3, null, 'happy');
`

const ROWS = [
  { id: 1, m: 'ok', r: 'ok' },
  { id: 2, m: 'happy', r: null },
  { id: 3, m: null, r: 'happy' },
]

const rows = (conn: { query: (sql: string) => Promise<unknown> }) =>
  conn.query('select id, m::text as m, r::text as r from child order by id')

describe.each(DIALECTS)('the columns of a domain over a recreated enum, read by other objects, on %s', (name) => {
  it('are converted with their readers dropped and created again around it, there and back', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      const from = await dialect.introspect(conn)
      // Reordered: the type is recreated in place.
      const goal = withValues(from, ['happy', 'ok', 'sad'])

      await applyPlan(conn, dialect.plan(diff(from, goal, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
      expect(await rows(conn)).toEqual(ROWS)
      // The readers hold on the new type: the check, the foreign key, the view.
      await expect(conn.exec(`insert into child values (4, 'sad', null)`)).rejects.toThrow(/child_m_known/)
      await expect(conn.exec(`insert into child values (4, null, 'sad')`)).rejects.toThrow(/child_r_fkey/)
      expect(await conn.query(`select m::text as m from child_moods where m::mood > 'ok' order by id`)).toEqual([])
      expect(await conn.query(`select m::text as m from child_moods where m::mood < 'ok' order by id`)).toEqual([
        { m: 'happy' },
      ])

      await applyPlan(conn, dialect.plan(diff(goal, from, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await rows(conn)).toEqual(ROWS)
    })
  })

  it('are converted back by the down of an ADD VALUE: up, down, up again, rows kept', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      const from = await dialect.introspect(conn)
      const goal = withValues(from, ['sad', 'ok', 'happy', 'great'])
      const plan = dialect.plan(diff(from, goal, [], options).changes, directPolicy)
      const down = reversePlan(plan)
      if (!('sql' in down)) throw new Error(`not reversible: ${down.irreversible.join('; ')}`)

      await applyPlan(conn, plan)
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
      await runScript(conn, down.sql)
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await rows(conn)).toEqual(ROWS)
      await applyPlan(conn, plan)
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
      expect(await rows(conn)).toEqual(ROWS)
      await conn.exec(`insert into parent values (3, 'great', 'great'); insert into child values (4, 'great', 'great')`)
    })
  })

  it('a domain column alone: the down of an ADD VALUE makes the domain again (it failed at DROP TYPE, 2BP01)', async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await conn.exec(`create type mood as enum ('sad', 'ok');
        create domain mood_d as mood not null default 'ok';
        create table t (id int primary key, m mood_d);
        insert into t values (1, 'sad'), (2, 'ok');`)
      const from = await dialect.introspect(conn)
      const plan = dialect.plan(diff(from, withValues(from, ['sad', 'ok', 'great']), [], options).changes, directPolicy)
      const down = reversePlan(plan)
      if (!('sql' in down)) throw new Error(`not reversible: ${down.irreversible.join('; ')}`)
      const kept = [
        { id: 1, m: 'sad' },
        { id: 2, m: 'ok' },
      ]
      await applyPlan(conn, plan)
      await runScript(conn, down.sql)
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await conn.query('select id, m::text as m from t order by id')).toEqual(kept)
      await applyPlan(conn, plan)
      await conn.exec(`insert into t (id) values (3); insert into t values (4, 'great')`)
      expect(await conn.query('select id, m::text as m from t where id > 2 order by id')).toEqual([
        { id: 3, m: 'ok' },
        { id: 4, m: 'great' },
      ])
    })
  })
})
