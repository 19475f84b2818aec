/**
 * A keyed retype of a partitioned table with a partition the plan does not know: the swap takes the partition's
 * prebuilt unique index as its key (unknown-partition-keys.ts) under the name the server gives a copy. That name is
 * chosen as PostgreSQL's ChooseRelationName does: `<partition>_pkey`, else `<partition>_pkey1`, `_pkey2`, ... while a
 * relation or a constraint of the schema holds it, or the swap gives it later. The swap took `<partition>_pkey`
 * whatever held it: 42P07 beside a table of that name, and beside an index of that name the swap renames back in,
 * the rename failed (42P07), nothing of the swap committed either way. PostgreSQL 15 and PGlite.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const KEYED = (type: string) => `create table p (id ${type} not null, k int not null,
  primary key (id, k), unique (k, id)) partition by range (k);
create table p1 partition of p for values from (0) to (10);`

const LONG = `p_extra_${'x'.repeat(52)}`

const keyNames = (conn: Connection, partition: string) =>
  conn.query(
    `select conname from pg_constraint where conrelid = '${partition}'::regclass and contype in ('p', 'u') order by 1`,
  )

describe.each(DIALECTS)('names of the keys a keyed retype gives a partition it does not know, on %s', (name) => {
  /**
   * Plans the retype of p.id from int to bigint with `others` in both databases, then makes p_extra in both (rows in
   * the start), builds p_extra's key indexes as the swap asks (and `before`), and applies the whole plan.
   */
  async function retype(others: string, before = '', partition = 'p_extra'): Promise<void> {
    const extra = `create table ${partition} partition of p for values from (10) to (20);`
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(`${KEYED('int')}\n${others}`)
        await goalConn.exec(`${KEYED('bigint')}\n${others}`)
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        await goalConn.exec(extra)
        await conn.exec(`${extra}\ninsert into p select g, g % 20 from generate_series(1, 40) g;`)
        const swap = plan.steps.filter((s) => s.phase === 'contract' && s.transactional)
        await applyPhasedPlan(conn, { ...plan, steps: plan.steps.filter((s) => !swap.includes(s)) })
        await conn.exec(`create unique index extra_a on ${partition} (id_keel_new, k);
          create unique index extra_b on ${partition} (k, id_keel_new);\n${before}`)
        await applyPhasedPlan(conn, { ...plan, steps: swap })
        await conn.exec('alter index if exists p_extra_id_new rename to p_extra_id_idx')
        expect(diff(await dialect.introspect(conn), await dialect.introspect(goalConn), [], dialect).changes).toEqual(
          [],
        )
        // The names the server gave p_extra's keys in the goal, where it made them.
        expect(await keyNames(conn, partition)).toEqual(await keyNames(goalConn, partition))
        expect(await conn.query('select count(*)::int as n from p')).toEqual([{ n: 40 }])
      })
    })
  }

  it('skips names a relation or a constraint of the schema holds', { timeout: 120_000 }, async () => {
    // The server names the goal's p_extra_pkey2 and p_extra_k_id_key1.
    await retype(`create table p_extra_pkey (a int);
      create table o (a int constraint p_extra_pkey1 check (a > 0), b int constraint p_extra_k_id_key check (b > 0));`)
  })

  it('numbers the label of a clipped name as the server does', { timeout: 120_000 }, async () => {
    // The server clips the partition's name a byte more for the label's number: <57 bytes>_pkey1.
    await retype(`create table ${LONG.slice(0, 58)}_pkey (a int);`, '', LONG)
  })

  it('skips a name the swap gives an index after it', { timeout: 120_000 }, async () => {
    // p's index p_extra_pkey is rebuilt over the new column as p_extra_pkey_keel_new and renamed back later in the
    // swap; the server names the goal's key p_extra_pkey1. p_extra's copy of the index is built as the swap asks.
    await retype(
      'create index p_extra_pkey on p (id);',
      'create index p_extra_id_new on p_extra (id_keel_new); alter index p_extra_pkey_keel_new attach partition p_extra_id_new;',
    )
  })
})
