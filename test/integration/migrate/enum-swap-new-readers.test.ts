import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS } from '../../support/databases.js'
import { migrateInPhases, postgresSchemaOf, renamed } from './migrate-in-phases.js'
import { disposeTargets, type Target, useProject, withTarget } from './project.js'
import { renderPhased } from './render-phased.js'

// An enum that loses a value is swapped: a twin type (mood_keel_new) beside it from the expand, the old type dropped
// and the twin renamed at the contract. What the same change adds beside it that names the enum, or calls a routine
// taking it, must hold through expand, backfill and contract, and the rows with it.
beforeAll(() => getDialect('postgres').phaseSql?.prepare())
const project = useProject()
afterAll(() => disposeTargets())

const IS_MOOD = `create function is_mood(x mood) returns boolean language sql immutable as $$ select x is not null $$;`
const SETUP = `
create type mood as enum ('a', 'b');
${IS_MOOD}
create table t (id int primary key, m mood, note text);
insert into t (id, m, note) values (1, 'b', 'b'), (2, null, null);
`

describe.skipIf(!DIALECTS.includes('postgres'))('an enum swap on postgres', () => {
  // The new column's default was cast to the twin with the rest (is_mood('b'::mood_keel_new)), and the expand failed:
  // function is_mood(mood_keel_new) does not exist. is_mood takes the old type until the contract makes it again.
  it('adds a new column whose default calls a routine taking the enum', { timeout: 120_000 }, async () => {
    const goal = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      ${IS_MOOD}
      create table t (
        id int primary key, m mood, note text,
        ok boolean default is_mood('b'::mood),
        known boolean default is_mood(null)
      );
    `)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { phases, left } = await migrateInPhases(project, target, goal)
      expect(phases).toContain('contract')
      expect(left).toEqual([])
      await target.conn.exec(`insert into t (id, m) values (3, 'c')`)
      expect(await target.conn.query('select id, m::text, ok, known from t order by id')).toEqual([
        { id: 1, m: 'b', ok: true, known: false },
        { id: 2, m: null, ok: true, known: false },
        { id: 3, m: 'c', ok: true, known: false },
      ])
    })
  })

  // On a column of the enum (a new one, on the twin), such a default has the old type while the routine takes it:
  // 42804, column "m2" is of type mood_keel_new but default expression is of type mood. The enum was then recreated in
  // place, a rewrite of t under ACCESS EXCLUSIVE that the plan said nothing of. The expand casts the default to the twin
  // through text; the contract sets it as desired once the routine is made again.
  it('swaps the enum under a new column of it whose default calls such a routine', { timeout: 120_000 }, async () => {
    const pick = `create function pick(x mood) returns mood language sql immutable as $$ select x $$;`
    const goal = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      ${IS_MOOD} ${pick}
      create table t (id int primary key, m mood, note text, m2 mood default pick('b'::mood));
      create table u (id int primary key, ms mood[] default array[pick('c'::mood)]);
    `)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(`${SETUP} ${pick}`)
      const { rendered } = await renderPhased(target.conn, () => goal)
      const sql = rendered.map((m) => m.files['up.sql']).join('\n')
      expect(sql).not.toMatch(/ALTER COLUMN m TYPE|RENAME TO mood_keel_old/)
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_phase_${m.phase}`, m.files)
      const backfill = rendered.findIndex((m) => m.phase === 'backfill')
      await migrate({ ...target.options, migrationsDir: project.migrations, to: `2026010100000${backfill}` })
      // Between the phases the running releases insert without the new columns: they take their defaults.
      await target.conn.exec(`insert into t (id, m) values (3, 'c'); insert into u (id) values (1)`)
      await migrate({ ...target.options, migrationsDir: project.migrations })
      const now = await getDialect('postgres').introspect(target.conn, { excludeTables: ['public.keel_migrations'] })
      expect(diff(now, goal).changes).toEqual([])
      await target.conn.exec(`insert into t (id) values (4); insert into u (id) values (2)`)
      expect(await target.conn.query('select id, m::text, m2::text from t order by id')).toEqual([
        { id: 1, m: 'b', m2: 'b' },
        { id: 2, m: null, m2: 'b' },
        { id: 3, m: 'c', m2: 'b' },
        { id: 4, m: null, m2: 'b' },
      ])
      expect(await target.conn.query('select id, ms::text from u order by id')).toEqual([
        { id: 1, ms: '{c}' },
        { id: 2, ms: '{c}' },
      ])
    })
  })

  // A new column of the enum is on the twin, and its backfill hint, of the old type, was not: column "m2" is of type
  // mood_keel_new but expression is of type mood (42804), in the backfill and in every write the trigger filled.
  it('fills a new column of the enum from a backfill hint that casts to the enum', { timeout: 120_000 }, async () => {
    const desired = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      ${IS_MOOD}
      create table t (id int primary key, m mood, note text, m2 mood);
    `)
    const goal = {
      ...desired,
      tables: desired.tables.map((t) => ({
        ...t,
        columns: t.columns.map((c) => (c.name === 'm2' ? { ...c, backfill: 'note::mood' } : c)),
      })),
    }
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { rendered } = await renderPhased(target.conn, () => goal)
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_phase_${m.phase}`, m.files)
      const backfill = rendered.findIndex((m) => m.phase === 'backfill')
      await migrate({ ...target.options, migrationsDir: project.migrations, to: `2026010100000${backfill}` })
      // The old release writes note (the trigger fills m2 from it), and a value the new type has.
      await target.conn.exec(`insert into t (id, note) values (3, 'c'); update t set note = 'c' where id = 2`)
      await migrate({ ...target.options, migrationsDir: project.migrations })
      const now = await getDialect('postgres').introspect(target.conn, { excludeTables: ['public.keel_migrations'] })
      expect(diff(now, desired).changes).toEqual([])
      expect(await target.conn.query('select id, m::text, m2::text from t order by id')).toEqual([
        { id: 1, m: 'b', m2: 'b' },
        { id: 2, m: null, m2: 'c' },
        { id: 3, m: null, m2: 'c' },
      ])
    })
  })

  // A column of the enum renamed from a text column is filled from it one way (a cast): it was on the old type, and the
  // contract converted it in place (a rewrite of t under ACCESS EXCLUSIVE). It is on the twin now, and swapped.
  it('swaps the enum under a column of it renamed from a text column', { timeout: 120_000 }, async () => {
    const desired = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      ${IS_MOOD}
      create table t (id int primary key, m mood, label mood);
    `)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { rendered } = await renderPhased(target.conn, () => renamed(desired, 'note', 'label'))
      expect(rendered.map((m) => m.files['up.sql']).join('\n')).not.toMatch(/ALTER COLUMN label TYPE/)
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_phase_${m.phase}`, m.files)
      const backfill = rendered.findIndex((m) => m.phase === 'backfill')
      await migrate({ ...target.options, migrationsDir: project.migrations, to: `2026010100000${backfill}` })
      // The old release writes note, the new one label.
      await target.conn.exec(`insert into t (id, note) values (3, 'c'); insert into t (id, label) values (4, 'c')`)
      await migrate({ ...target.options, migrationsDir: project.migrations })
      const now = await getDialect('postgres').introspect(target.conn, { excludeTables: ['public.keel_migrations'] })
      expect(diff(now, desired).changes).toEqual([])
      expect(await target.conn.query('select id, m::text, label::text from t order by id')).toEqual([
        { id: 1, m: 'b', label: 'b' },
        { id: 2, m: null, label: null },
        { id: 3, m: null, label: 'c' },
        { id: 4, m: null, label: 'c' },
      ])
    })
  })

  // A new generated column that calls such a routine waits for the contract, which adds it after the routine is made
  // again. On a table with nothing else to expand it was added in the expand, and the contract failed at DROP
  // FUNCTION (2BP01: column ok of table u depends on function is_mood(mood)), after the expand and the backfill.
  it('adds a generated column calling a routine taking the enum at the contract, on any table', {
    timeout: 120_000,
  }, async () => {
    const goal = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      ${IS_MOOD}
      create table t (id int primary key, m mood, note text);
      create table u (id int primary key, ok boolean generated always as (is_mood('b'::mood)) stored);
    `)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(`${SETUP} create table u (id int primary key); insert into u values (1);`)
      expect((await migrateInPhases(project, target, goal)).left).toEqual([])
      expect(await target.conn.query('select id, ok from u')).toEqual([{ id: 1, ok: true }])
    })
  })

  // The check was added NOT VALID and validated in the expand on the old type, then dropped before DROP TYPE and
  // added and validated again at the contract: a second scan, and an ACCESS EXCLUSIVE lock, for nothing.
  it('adds a new check that names the enum once, in the expand', { timeout: 120_000 }, async () => {
    const goal = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      ${IS_MOOD}
      create table t (
        id int primary key, m mood, note text,
        constraint t_note check (note is null or note::mood is not null)
      );
    `)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { rendered, left } = await migrateInPhases(project, target, goal)
      expect(left).toEqual([])
      const contract = rendered
        .filter((m) => m.phase === 'contract')
        .map((m) => m.files['up.sql'])
        .join('\n')
      expect(contract).not.toMatch(/t_note/)
      await expect(target.conn.exec(`insert into t (id, note) values (3, 'a')`)).rejects.toThrow(/"a"/)
      expect(await target.conn.query('select id, m::text, note from t order by id')).toEqual([
        { id: 1, m: 'b', note: 'b' },
        { id: 2, m: null, note: null },
      ])
    })
  })
})
