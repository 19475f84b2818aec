import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { DIALECTS } from '../../support/databases.js'
import { migrateInPhases, postgresSchemaOf, renamed } from './migrate-in-phases.js'
import { disposeTargets, type Target, useProject, withTarget } from './project.js'

// An enum that loses a value is swapped (a twin type, its columns swapped in at the contract, the old type dropped
// and the twin renamed), while a stored generated column over it is renamed, or changes its expression.
beforeAll(() => getDialect('postgres').phaseSql?.prepare())
const project = useProject()
afterAll(() => disposeTargets())

describe.skipIf(!DIALECTS.includes('postgres'))('an enum swap on postgres', () => {
  // The renamed column was added in the expand as a mirror of the old one, and the backfill wrote it: column "h" can
  // only be updated to DEFAULT. A generated column computes its values; over the old column of the enum, it would
  // also hold that column (and the type) until the swap, which would refuse to drop them.
  it('renames a generated column that reads a column of the enum', { timeout: 120_000 }, async () => {
    const goal = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      create table t (id int primary key, m mood, h boolean generated always as (m = 'b') stored);
    `)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(`
        create type mood as enum ('a', 'b');
        create table t (id int primary key, m mood, g boolean generated always as (m = 'b') stored);
        insert into t (id, m) values (1, 'b'), (2, null);
      `)
      const { phases, left } = await migrateInPhases(project, target, renamed(goal, 'g', 'h'))
      expect(phases).toContain('contract')
      expect(left).toEqual([])
      await target.conn.exec(`insert into t (id, m) values (3, 'c')`)
      expect(await target.conn.query('select id, m::text, h from t order by id')).toEqual([
        { id: 1, m: 'b', h: true },
        { id: 2, m: null, h: null },
        { id: 3, m: 'c', h: false },
      ])
    })
  })

  // A kept generated column whose expression changes is dropped and added again at the contract anyway; reading the
  // enum's column (or casting to the enum) before, it held the column and the enum: recreated in place, converting
  // the column under ACCESS EXCLUSIVE, instead of swapped.
  it.each([
    ['reads a column of the enum', `m = 'b'`, `m = 'c'`],
    ['casts to the enum', `'b'::mood = 'b'::mood`, `'c'::mood > 'b'::mood`],
  ])(
    'swaps the enum when a generated column that %s changes its expression',
    { timeout: 120_000 },
    async (_, was, is) => {
      const goal = await postgresSchemaOf(`
      create type mood as enum ('b', 'c');
      create table t (id int primary key, m mood, g boolean generated always as (${is}) stored);
    `)
      await withTarget('postgres', async (target: Target) => {
        await target.conn.exec(`
        create type mood as enum ('a', 'b');
        create table t (id int primary key, m mood, g boolean generated always as (${was}) stored);
        insert into t (id, m) values (1, 'b'), (2, null);
      `)
        const { rendered, left } = await migrateInPhases(project, target, goal)
        expect(left).toEqual([])
        const sql = rendered.map((m) => m.files['up.sql']).join('\n')
        expect(sql).toMatch(/CREATE TYPE public\.mood_keel_new/)
        expect(sql).not.toMatch(/ALTER COLUMN m TYPE/)
        expect(await target.conn.query('select id, m::text from t order by id')).toEqual([
          { id: 1, m: 'b' },
          { id: 2, m: null },
        ])
      })
    },
  )
})
