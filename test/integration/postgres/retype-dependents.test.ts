/**
 * Changing a column's type while other objects read it. PostgreSQL refuses, or re-parses the readers against the
 * old type, unless the plan takes those readers away and puts them back around the change.
 *
 * An enum that loses or reorders values is recreated and its columns converted. Whatever reads those columns
 * through the type (checks, partial and expression indexes, views, defaults, arrays, generated columns) or uses
 * the type (functions) must survive the conversion: PostgreSQL re-parses them against the renamed old type, or
 * refuses to convert or drop it, unless Keel drops and re-adds them around it.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, type TestDialect } from '../../support/databases.js'
import { type EmptiedDatabases, emptiedBeforeEach } from '../../support/emptied-databases.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')

const body = (values: string) => `create type mood as enum (${values});
create table person (
  id int primary key,
  m mood not null default 'ok' check (m <> 'sad'),
  history mood[] not null default '{ok}',
  happy boolean generated always as (m = 'happy') stored
);
create table pair (a mood, b mood, check (a <> b));
create function is_ok(x mood) returns boolean language sql immutable as $$ select x = 'ok' $$;
create index person_happy on person (id) where m = 'happy';
create index person_is_ok on person ((m = 'ok'));
create index person_m on person (m);
create view happy_people as select id from person where m = 'happy';`

const START = `${body("'sad', 'ok', 'happy'")}
insert into person values (1, 'ok', '{ok,happy}'), (2, 'happy', '{}');`
const TARGET = body("'ok', 'happy', 'sad', 'ecstatic'")

// Two databases per dialect for the whole file, wiped before each test, instead of two new ones per test (on PGlite
// each new one is a boot).
const shared = new Map<TestDialect, EmptiedDatabases>(DIALECTS.map((d) => [d, emptiedBeforeEach(d, 2)]))
const databases = (name: TestDialect): EmptiedDatabases => shared.get(name) as EmptiedDatabases

describe.each(DIALECTS)('recreating an enum on %s', (name) => {
  it('converts its columns while checks, indexes, views and defaults read it, and reverses', async () => {
    await databases(name).use(0, async ({ conn: work }) => {
      const target = await databases(name).use(1, async ({ conn }) => {
        await conn.exec(TARGET)
        return dialect.introspect(conn)
      })
      await work.exec(START)
      const start = await dialect.introspect(work)
      const result = diff(start, target)
      const plan = dialect.plan(result.changes, safePolicy)
      await applyPlan(work, plan)

      expect(diff(await dialect.introspect(work), target).changes).toEqual([])
      expect(await work.query('select id, m::text, history::text, happy from person order by id')).toEqual([
        { id: 1, m: 'ok', history: '{ok,happy}', happy: false },
        { id: 2, m: 'happy', history: '{}', happy: true },
      ])
      expect(await work.query("select is_ok('ok') as ok")).toEqual([{ ok: true }])
      // The plain index on m is rebuilt by PostgreSQL itself; only the ones that spell the type are recreated.
      const recreated = result.changes.flatMap((c) => (c.kind === 'createIndex' ? [c.index.name] : []))
      expect(recreated.sort()).toEqual(['person_happy', 'person_is_ok'])

      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`not reversible: ${reverse.irreversible.join('; ')}`)
      await runScript(work, reverse.sql)
      expect(diff(await dialect.introspect(work), start).changes).toEqual([])
    })
  }, 60_000)
})

describe.each(DIALECTS)('retyping a column that a generated column reads on %s', (name) => {
  it('drops and re-adds the generated column around the type change, and reverses', async () => {
    const start = `create table t (a int, g bigint generated always as (a * 2) stored, unique (g));
insert into t values (1), (2);`
    const goal = 'create table t (a bigint, g bigint generated always as (a * 2) stored, unique (g));'
    await databases(name).use(0, async ({ conn: work }) => {
      const target = await databases(name).use(1, async ({ conn }) => {
        await conn.exec(goal)
        return dialect.introspect(conn)
      })
      await work.exec(start)
      const before = await dialect.introspect(work)
      const plan = dialect.plan(diff(before, target).changes, safePolicy)
      await applyPlan(work, plan)
      expect(diff(await dialect.introspect(work), target).changes).toEqual([])
      expect(await work.query('select a::int as a, g::int as g from t order by a')).toEqual([
        { a: 1, g: 2 },
        { a: 2, g: 4 },
      ])

      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`not reversible: ${reverse.irreversible.join('; ')}`)
      await runScript(work, reverse.sql)
      expect(diff(await dialect.introspect(work), before).changes).toEqual([])
    })
  }, 60_000)
})
