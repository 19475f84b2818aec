/**
 * An enum that loses a value is recreated: in place by the direct plan (keel diff, generate --unsafe, push), or
 * through a twin type and twin columns by the phased plan (keel generate). A domain over the enum
 * (`CREATE DOMAIN mood_d AS mood`) depends on the old type, and so do the columns of the domain: the in-place plan
 * failed at DROP TYPE with 2BP01 (or before, setting a domain column's default to `'ok'::mood`), and the phased plan
 * wrote an expand and a backfill that applied and a contract that then failed. A domain directly over the enum is now
 * made again over the new type in the plan's transaction (its columns through text, default, NOT NULL, check and
 * comment kept; what reads its columns moved around it: enum-recreate-domain-readers.test.ts); any other (a domain
 * over that domain, over an array, one the plan also changes) is
 * refused at planning time with error[UNSUPPORTED], naming the domain and its columns, and the database is untouched. The phased plan never swaps such an enum. Run on
 * PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import type { PhaseSql } from '../../../src/plan/phase-sql.js'
import { planPhases } from '../../../src/plan/phases.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import type { Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { dialect, options, prepareParser, withValues } from './enum-recreate.js'

// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

prepareParser()

const SETUP = `
create schema "Shop";
create type "Shop"."Mood" as enum ('sad', 'ok', 'happy');
create domain "Shop".mood_d as "Shop"."Mood" check (value::text <> 'bad');
create domain "Shop".mood_dd as "Shop".mood_d;
create table "Shop".posts (
  id int primary key,
  m "Shop".mood_d not null,
  raw "Shop"."Mood"
);
create table "Shop".notes (id int primary key, tags "Shop".mood_dd[]);
insert into "Shop".posts (id, m, raw) values (1, 'ok', 'ok'), (2, 'happy', 'sad');
insert into "Shop".notes values (1, array['ok']::"Shop".mood_dd[]);
`

const REFUSAL =
  /cannot recreate enum Shop\.Mood in place.*domain Shop\.mood_d is over it \(used by column Shop\.posts\.m\) and domain Shop\.mood_dd is over it in turn.*domain Shop\.mood_dd is over it \(used by column Shop\.notes\.tags\) and is not directly over it/

const SIMPLE = `
create schema "Shop";
create type "Shop"."Mood" as enum ('sad', 'ok', 'happy');
create domain "Shop".mood_d as "Shop"."Mood" default 'ok' not null
  constraint not_bad check (value::text <> 'bad');
comment on domain "Shop".mood_d is 'a mood, never bad';
create table "Shop".posts (
  id int primary key,
  m "Shop".mood_d,
  ms "Shop".mood_d[] default array['ok']::"Shop".mood_d[],
  raw "Shop"."Mood"
);
create index posts_m on "Shop".posts (m);
insert into "Shop".posts (id, m, ms, raw) values (1, 'ok', '{ok,happy}', 'ok'), (2, 'happy', '{}', 'sad');
`

describe.each(DIALECTS)('an enum under a domain, recreated on %s', (name) => {
  it('recreates a domain directly over it, its columns converted, rows and constraints kept, there and back', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await conn.exec(SIMPLE)
      const from = await dialect.introspect(conn)
      const goal = withValues(from, ['ok', 'happy', 'great', 'sad'])

      await applyPlan(conn, dialect.plan(diff(from, goal, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), goal).changes).toEqual([])
      expect(
        await conn.query('select id, m::text as m, ms::text[] as ms, raw::text as raw from "Shop".posts order by id'),
      ).toEqual([
        { id: 1, m: 'ok', ms: ['ok', 'happy'], raw: 'ok' },
        { id: 2, m: 'happy', ms: [], raw: 'sad' },
      ])
      // The domain is over the new type: its new value goes in, its check and NOT NULL still hold, the default too.
      await conn.exec(`insert into "Shop".posts (id, m, ms) values (3, 'great', '{great}')`)
      await conn.exec(`insert into "Shop".posts (id) values (4)`)
      expect(await conn.query('select m::text as m, ms::text[] as ms from "Shop".posts where id = 4')).toEqual([
        { m: 'ok', ms: ['ok'] },
      ])
      await expect(conn.exec(`insert into "Shop".posts (id, m) values (5, null)`)).rejects.toThrow(/null/)
      expect(await conn.query(`select obj_description('"Shop".mood_d'::regtype, 'pg_type') as c`)).toEqual([
        { c: 'a mood, never bad' },
      ])

      // Back: 'great' goes (the rows holding it first).
      await conn.exec(`delete from "Shop".posts where id in (3, 4)`)
      await applyPlan(conn, dialect.plan(diff(goal, from, [], options).changes, directPolicy))
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await conn.query('select count(*)::int as n from "Shop".posts')).toEqual([{ n: 2 }])
    })
  })

  it('is refused at planning time under a domain over a domain, in place and phased, naming them and their columns', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      const from = await dialect.introspect(conn)
      const goal = withValues(from, ['ok', 'happy', 'great'])
      const changes = diff(from, goal, [], options).changes

      // In place: keel diff, push, generate --unsafe.
      expect(() => dialect.plan(changes, directPolicy)).toThrow(REFUSAL)
      // Phased, as keel generate plans it: the phases, else the safe direct plan.
      const phased = () =>
        planPhases(from, goal, [], {
          plan: dialect.plan,
          phaseSql: dialect.phaseSql as PhaseSql,
          quoteIdent: dialect.quoteIdent,
          defaultNamespace: dialect.defaultNamespace,
        }) ?? dialect.plan(changes, safePolicy, { from, to: goal })
      expect(phased).toThrow(REFUSAL)
      try {
        phased()
      } catch (error) {
        expect((error as { code?: string }).code).toBe('UNSUPPORTED')
      }

      // Nothing ran: the rows and the type are as they were.
      expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      expect(await conn.query('select id, m::text as m, raw::text as raw from "Shop".posts order by id')).toEqual([
        { id: 1, m: 'ok', raw: 'ok' },
        { id: 2, m: 'happy', raw: 'sad' },
      ])
    })
  })

  it('is refused too when the plan drops the domains, which it would do after DROP TYPE', async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await conn.exec(SETUP)
      const from = await dialect.introspect(conn)
      const asText = (schema: Schema): Schema => ({
        ...schema,
        domains: [],
        tables: schema.tables.map((t) => ({
          ...t,
          columns: t.columns.map((c) =>
            c.type.kind === 'native'
              ? { ...c, type: { kind: 'text' as const } }
              : c.type.kind === 'array'
                ? { ...c, type: { kind: 'array' as const, element: { kind: 'text' as const } } }
                : c,
          ),
        })),
      })
      const goal = asText(withValues(from, ['ok', 'happy', 'great']))
      expect(() => dialect.plan(diff(from, goal, [], options).changes, directPolicy)).toThrow(REFUSAL)
    })
  })
})
