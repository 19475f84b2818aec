/**
 * A keyed retype of a partitioned table applied where the table has a partition the plan does not know (made after
 * the migrations were generated, as time-partitioned tables make them). The partitioned table's index is created ON
 * ONLY it and one built on each known partition is attached (partitioned-keys.ts); the unknown partition gets none,
 * so the server leaves the index invalid, and the swap took it in without a word: keel migrate succeeded with the
 * table's index invalid and the new partition without one (by hand on PostgreSQL 15). Now the swap stops while the
 * index is not valid, nothing of it committed, and goes through once the partition's index is attached. PostgreSQL 15
 * and PGlite.
 * With no index but the key, the swap's ADD PRIMARY KEY on the partitioned table built the unknown partition's key
 * there, under the swap's ACCESS EXCLUSIVE lock, over its rows (the plan builds nothing on it). Now the swap stops, nothing
 * of it committed, until a unique index over the key is built on that partition beforehand; then it takes that index as
 * its key (USING INDEX, named as the server names a copy) and goes through.
 */
import { beforeAll, describe, expect, it } from 'vitest'
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

const TABLES = (type: string) => `create table p (id ${type} not null, k int not null, w int,
  primary key (id, k)) partition by range (k);
create index p_w on p (w) include (id);
create table p1 partition of p for values from (0) to (10);`

const EXTRA = 'create table p_extra partition of p for values from (10) to (20);'

describe.each(DIALECTS)('a keyed retype of a partitioned table with a partition it does not know, on %s', (name) => {
  it("stops at the swap while the table's index is not valid", { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(TABLES('int'))
        await goalConn.exec(TABLES('bigint'))
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        // Made after the plan, with rows in both partitions.
        await goalConn.exec(EXTRA)
        await conn.exec(`${EXTRA}\ninsert into p select g, g % 20, g from generate_series(1, 40) g;`)
        const swap = plan.steps.filter((s) => s.phase === 'contract' && s.transactional)
        await applyPhasedPlan(conn, { ...plan, steps: plan.steps.filter((s) => !swap.includes(s)) })
        // Its key's index built before the swap, as the swap asks (the case below): the index is what this case is about.
        await conn.exec('create unique index p_extra_key_new on p_extra (id_keel_new, k)')

        await expect(applyPhasedPlan(conn, { ...plan, steps: swap })).rejects.toThrow(/p_w_keel_new.*is not valid/)
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

  const KEYED = (type: string) => `create table p (id ${type} not null, k int not null, w int,
  primary key (id, k)) partition by range (k);
create table p1 partition of p for values from (0) to (10);`
  // The second clipped as the server clips a copy's name to 63 bytes (p_extra_..._pkey).
  const PARTITIONS = ['p_extra', `p_extra_${'x'.repeat(52)}`]

  it.each(PARTITIONS)(
    'stops at the swap until the key of partition %s is built beforehand, then takes it',
    { timeout: 120_000 },
    async (partition) => {
      await withReusedDatabase(name, async ({ conn }) => {
        await withReusedDatabase(name, async ({ conn: goalConn }) => {
          await conn.exec(KEYED('int'))
          await goalConn.exec(KEYED('bigint'))
          const phaseDialect = phaseDialectOf(dialect)
          if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
          const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
          if (plan === undefined) throw new Error('the change is not phased')
          const extra = `create table ${partition} partition of p for values from (10) to (20);`
          await goalConn.exec(extra)
          await conn.exec(`${extra}\ninsert into p select g, g % 20, g from generate_series(1, 40) g;`)

          await expect(applyPhasedPlan(conn, plan)).rejects.toThrow(
            new RegExp(`partition ${partition} of the partitioned table public.p has no unique index over`),
          )
          const types = await conn.query<{ type: string }>(
            "select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'p'::regclass and attname = 'id'",
          )
          expect(types).toEqual([{ type: 'integer' }])

          // What the error says to do (concurrently on a server; PGlite has one session), then the swap again.
          await conn.exec(`create unique index ${partition.slice(0, 40)}_new on ${partition} (id_keel_new, k)`)
          await applyPhasedPlan(conn, {
            ...plan,
            steps: plan.steps.filter((s) => s.phase === 'contract' && s.transactional),
          })
          expect(diff(await dialect.introspect(conn), await dialect.introspect(goalConn), [], dialect).changes).toEqual(
            [],
          )
          expect(await conn.query('select count(*)::int as n from p')).toEqual([{ n: 40 }])
        })
      })
    },
  )

  it('takes a prebuilt index as the key and as a unique constraint of the partition, under the names of copies', {
    timeout: 120_000,
  }, async () => {
    const TABLE = (type: string) => `create table p (id ${type} not null, k int not null,
      primary key (id, k), unique (k, id)) partition by range (k);
    create table p1 partition of p for values from (0) to (10);`
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(TABLE('int'))
        await goalConn.exec(TABLE('bigint'))
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        await goalConn.exec(EXTRA)
        await conn.exec(`${EXTRA}\ninsert into p select g, g % 20 from generate_series(1, 40) g;`)
        const swap = plan.steps.filter((s) => s.phase === 'contract' && s.transactional)
        await applyPhasedPlan(conn, { ...plan, steps: plan.steps.filter((s) => !swap.includes(s)) })
        await conn.exec(`create unique index extra_a on p_extra (id_keel_new, k);
          create unique index extra_b on p_extra (k, id_keel_new);`)
        await applyPhasedPlan(conn, { ...plan, steps: swap })
        expect(diff(await dialect.introspect(conn), await dialect.introspect(goalConn), [], dialect).changes).toEqual(
          [],
        )
        expect(
          await conn.query(
            "select conname from pg_constraint where conrelid = 'p_extra'::regclass and contype in ('p', 'u') order by 1",
          ),
        ).toEqual([{ conname: 'p_extra_k_id_key' }, { conname: 'p_extra_pkey' }])
      })
    })
  })

  // The mirror: a NULLS NOT DISTINCT index taken as a plain unique constraint made the partition's constraint NULLS NOT
  // DISTINCT, which the partitioned table's does not attach: the swap built another on p_extra under its lock, and the
  // goal was not reached (an extra unique constraint left on p_extra).
  it('takes only an index NULLS DISTINCT as a plain unique constraint', { timeout: 120_000 }, async () => {
    const TABLE = (type: string) => `create table p (id ${type} not null, k int not null,
      primary key (id, k), unique (k, id)) partition by range (k);
    create table p1 partition of p for values from (0) to (10);`
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(TABLE('int'))
        await goalConn.exec(TABLE('bigint'))
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        await goalConn.exec(EXTRA)
        await conn.exec(`${EXTRA}\ninsert into p select g, g % 20 from generate_series(1, 40) g;`)
        const swap = plan.steps.filter((s) => s.phase === 'contract' && s.transactional)
        await applyPhasedPlan(conn, { ...plan, steps: plan.steps.filter((s) => !swap.includes(s)) })
        await conn.exec(`create unique index extra_a on p_extra (id_keel_new, k);
          create unique index extra_b on p_extra (k, id_keel_new) nulls not distinct;`)
        await expect(applyPhasedPlan(conn, { ...plan, steps: swap })).rejects.toThrow(
          /partition p_extra .* has no unique index over \(k, id_keel_new\)/,
        )
        await conn.exec('drop index extra_b; create unique index extra_b on p_extra (k, id_keel_new);')
        await applyPhasedPlan(conn, { ...plan, steps: swap })
        expect(diff(await dialect.introspect(conn), await dialect.introspect(goalConn), [], dialect).changes).toEqual(
          [],
        )
      })
    })
  })

  it('takes only an index NULLS NOT DISTINCT as a unique constraint NULLS NOT DISTINCT', {
    timeout: 120_000,
  }, async () => {
    const TABLE = (type: string) => `create table p (id ${type} not null, k int not null,
      primary key (id, k), unique nulls not distinct (k, id)) partition by range (k);
    create table p1 partition of p for values from (0) to (10);`
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(TABLE('int'))
        await goalConn.exec(TABLE('bigint'))
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), await dialect.introspect(goalConn), [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        await goalConn.exec(EXTRA)
        await conn.exec(`${EXTRA}\ninsert into p select g, g % 20 from generate_series(1, 40) g;`)
        const swap = plan.steps.filter((s) => s.phase === 'contract' && s.transactional)
        await applyPhasedPlan(conn, { ...plan, steps: plan.steps.filter((s) => !swap.includes(s)) })
        await conn.exec(`create unique index extra_a on p_extra (id_keel_new, k);
          create unique index extra_b on p_extra (k, id_keel_new);`)
        // The partitioned table's constraint would not take it: the swap would build another, under its lock.
        await expect(applyPhasedPlan(conn, { ...plan, steps: swap })).rejects.toThrow(
          /partition p_extra .* has no unique index over \(k, id_keel_new\).* NULLS NOT DISTINCT/,
        )
        await conn.exec(
          'drop index extra_b; create unique index extra_b on p_extra (k, id_keel_new) nulls not distinct;',
        )
        await applyPhasedPlan(conn, { ...plan, steps: swap })
        expect(diff(await dialect.introspect(conn), await dialect.introspect(goalConn), [], dialect).changes).toEqual(
          [],
        )
      })
    })
  })
})
