/**
 * A keyed retype of a partitioned table applied where the table has a partition the plan does not know (made after
 * the migrations were generated, as time-partitioned tables make them). The partitioned table's index is created ON
 * ONLY it and one built on each known partition is attached (partitioned-keys.ts); the unknown partition gets none,
 * so the server leaves the index invalid, and the swap took it in without a word: keel migrate succeeded with the
 * table's index invalid and the new partition without one (by hand on PostgreSQL 15). Now the swap stops while the
 * index is not valid, nothing of it committed, and goes through once the partition's index is attached. PostgreSQL 15
 * and PGlite.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())

const TABLES = (type: string) => `create table p (id ${type} not null, k int not null, w int,
  primary key (id, k)) partition by range (k);
create index p_w on p (w) include (id);
create table p1 partition of p for values from (0) to (10);`

const EXTRA = 'create table p_extra partition of p for values from (10) to (20);'

describe.each(DIALECTS)('a keyed retype of a partitioned table with a partition it does not know, on %s', (name) => {
  it("stops at the swap while the table's index is not valid", { timeout: 120_000 }, async () => {
    await withDatabase(name, async ({ conn }) => {
      await withDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(TABLES('int'))
        await goalConn.exec(TABLES('bigint'))
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        // Made after the plan, with rows in both partitions.
        await goalConn.exec(EXTRA)
        await conn.exec(`${EXTRA}\ninsert into p select g, g % 20, g from generate_series(1, 40) g;`)

        await expect(applyPhasedPlan(conn, plan)).rejects.toThrow(/p_w_keel_new.*is not valid/)
        const types = await conn.query<{ type: string }>(
          "select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'p'::regclass and attname = 'id'",
        )
        expect(types).toEqual([{ type: 'integer' }])
        const invalid = await conn.query(
          "select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid where not i.indisvalid and c.relname = 'p_w'",
        )
        expect(invalid).toEqual([])

        // What the error says to do, then the contract again.
        await conn.exec(`create index p_extra_w_new on p_extra (w) include (id_keel_new);
          alter index p_w_keel_new attach partition p_extra_w_new;`)
        // The contract's transactional steps (its concurrent builds and attaches are done): the swap.
        await applyPhasedPlan(conn, {
          ...plan,
          steps: plan.steps.filter((s) => s.phase === 'contract' && s.transactional),
        })
        // Under the name the server gives a copy, once the old copy is gone with the old column.
        await conn.exec('alter index p_extra_w_new rename to p_extra_w_id_idx')
        expect(diff(await dialect.introspect(conn), await dialect.introspect(goalConn), [], dialect).changes).toEqual(
          [],
        )
        expect(await conn.query('select count(*)::int as n from p')).toEqual([{ n: 40 }])
      })
    })
  })
})
