import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { DIALECTS } from '../../support/databases.js'
import { migrateInPhases, postgresSchemaOf, renamed } from './migrate-in-phases.js'
import { disposeTargets, type Target, useProject, withTarget } from './project.js'

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
