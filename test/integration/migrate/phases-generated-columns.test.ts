import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { rollback } from '../../../src/migrate/rollback.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS } from '../../support/databases.js'
import { migrateInPhases, postgresSchemaOf, renamed } from './migrate-in-phases.js'
import { disposeTargets, type Target, useProject, withTarget } from './project.js'
import { renderPhased } from './render-phased.js'

// Stored generated columns through the phases, beside a column whose type change rewrites the table (built beside it,
// swapped in at the contract): what a generated column computes, no trigger or backfill can write.
beforeAll(() => getDialect('postgres').phaseSql?.prepare())
const project = useProject()
afterAll(() => disposeTargets())

const SETUP = `
create table t (id int primary key, n int, g bigint generated always as (n * 2) stored);
insert into t (id, n) values (1, 1), (2, null);
`

describe.skipIf(!DIALECTS.includes('postgres'))('phases on postgres', () => {
  // The renamed column was a mirror of the old one, and the backfill wrote it: column "h" can only be updated to
  // DEFAULT (428C9). It computes its values: added as a new generated column is, its old name dropped at the contract.
  it.each([
    ['alone', 'int'],
    ['over a column whose type changes', 'bigint'],
  ])('renames a generated column %s', { timeout: 120_000 }, async (_, type) => {
    const goal = await postgresSchemaOf(
      `create table t (id int primary key, n ${type}, h bigint generated always as (n * 2) stored);`,
    )
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { phases, left } = await migrateInPhases(project, target, renamed(goal, 'g', 'h'))
      expect(phases).toContain('contract')
      expect(left).toEqual([])
      expect(await target.conn.query('select id, n::int, h::int from t order by id')).toEqual([
        { id: 1, n: 1, h: 2 },
        { id: 2, n: null, h: null },
      ])
    })
  })

  // A generated column renamed to a plain one was mirrored: the trigger copied NEW.g into h, but a BEFORE trigger sees
  // a stored generated column before it is computed (NULL on insert, the old value on update), so every row the old
  // release wrote between the phases lost h at the contract, which dropped g. h is derived from g's expression instead.
  it.each([
    ['alone', 'int', 'bigint'],
    ['over a column whose type changes', 'bigint', 'bigint'],
    ['of another type', 'int', 'numeric'],
  ])('keeps the values of a generated column renamed to a plain one %s', { timeout: 120_000 }, async (_, type, to) => {
    const goal = await postgresSchemaOf(`create table t (id int primary key, n ${type}, h ${to});`)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { rendered } = await renderPhased(target.conn, () => renamed(goal, 'g', 'h'))
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_phase_${m.phase}`, m.files)
      const backfill = rendered.findIndex((m) => m.phase === 'backfill')
      await migrate({ ...target.options, migrationsDir: project.migrations, to: `2026010100000${backfill}` })
      // The old release writes n (g follows it); the new one writes h.
      await target.conn.exec(`insert into t (id, n) values (3, 3); update t set n = 10 where id = 1`)
      await target.conn.exec(`insert into t (id, n, h) values (4, 4, 99); update t set h = 7 where id = 2`)
      await migrate({ ...target.options, migrationsDir: project.migrations })
      const now = await getDialect('postgres').introspect(target.conn, { excludeTables: ['public.keel_migrations'] })
      expect(diff(now, goal).changes).toEqual([])
      expect(await target.conn.query('select id, n::int, h::int from t order by id')).toEqual([
        { id: 1, n: 10, h: 20 },
        { id: 2, n: null, h: 7 },
        { id: 3, n: 3, h: 6 },
        { id: 4, n: 4, h: 99 },
      ])
    })
  })

  // The contract's undo added the old generated column back and then copied the new column's values into it: column "g"
  // can only be updated to DEFAULT (428C9), and keel rollback failed. Its ADD COLUMN computes them.
  it.each([
    ['a generated', 'bigint generated always as (n * 2) stored'],
    ['a plain', 'bigint'],
  ])('rolls back the contract of a generated column renamed to %s one', { timeout: 120_000 }, async (_, h) => {
    const goal = await postgresSchemaOf(`create table t (id int primary key, n int, h ${h});`)
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { rendered } = await renderPhased(target.conn, () => renamed(goal, 'g', 'h'))
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_phase_${m.phase}`, m.files)
      await migrate({ ...target.options, migrationsDir: project.migrations })
      expect(rendered.at(-1)?.phase).toBe('contract')
      await rollback({ ...target.options, migrationsDir: project.migrations, steps: 1 })
      expect(await target.conn.query('select id, n, g::int, h::int from t order by id')).toEqual([
        { id: 1, n: 1, g: 2, h: 2 },
        { id: 2, n: null, g: null, h: null },
      ])
    })
  })

  // A kept generated column whose expression changes is dropped and added again at the contract anyway: it goes just
  // before the swap instead of holding the column it reads, which then changed type in place (a table rewrite under
  // ACCESS EXCLUSIVE).
  it('swaps a column that a generated column changing its expression reads', { timeout: 120_000 }, async () => {
    const goal = await postgresSchemaOf(
      `create table t (id int primary key, n bigint, g bigint generated always as (n * 3) stored);`,
    )
    await withTarget('postgres', async (target: Target) => {
      await target.conn.exec(SETUP)
      const { rendered, left } = await migrateInPhases(project, target, goal)
      expect(left).toEqual([])
      const sql = rendered.map((m) => m.files['up.sql']).join('\n')
      expect(sql).toMatch(/RENAME COLUMN n_keel_new TO n/)
      expect(sql).not.toMatch(/ALTER COLUMN n TYPE/)
      expect(await target.conn.query('select id, n, g from t order by id')).toEqual([
        { id: 1, n: '1', g: '3' },
        { id: 2, n: null, g: null },
      ])
    })
  })
})
