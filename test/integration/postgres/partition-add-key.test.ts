/**
 * A primary key or unique constraint added to a partitioned table that exists, under the safe policy. The plan was
 * one ALTER TABLE ... ADD CONSTRAINT on the partitioned table, which builds every leaf partition's index in its
 * statement, under ACCESS EXCLUSIVE on the whole tree. Now each leaf's unique index is built concurrently first and
 * made the leaf's constraint USING INDEX; the partitioned table's constraint then attaches them: the transaction that
 * ends the change builds no index (the leaves' indexes are the relations the concurrent builds made), and the result
 * is the direct form's (no difference, the same pg_dump), and keel generate writes it (lint finds no step that
 * blocks writers; the direct form broke require-using-index-for-key). PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { convergesOnce } from '../../support/converges.js'
import { DIALECTS } from '../../support/databases.js'
import { blockingWhenGenerated } from '../../support/generated-lint.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'

const dialect = getDialect('postgres')
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

// m_eu is partitioned again: its leaf m_eu_1 holds rows, as does m_us.
const TREE = partitionTree()
const ROWS = partitionRows()
const COUNT = PARTITION_ROWS_BY_REGION
const KEYS = 'alter table m add primary key (id, region); alter table m add unique nulls not distinct (k, region, id);'

// The unique indexes over the key columns of each leaf: name, relation (by oid) and validity.
const leafIndexes = (conn: Connection) =>
  conn.query<{ name: string; oid: string; valid: boolean }>(
    `select c.relname as name, c.oid::text as oid, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid in ('m_eu_1'::regclass, 'm_us'::regclass) and i.indisunique order by 1`,
  )

describe.each(DIALECTS)('a key added to a partitioned table that exists, on %s', (name) => {
  it('builds the leaves’ indexes concurrently, then attaches them in the transaction', async () => {
    await convergesOnce(name, `${TREE}${ROWS}${KEYS}`, [`${TREE}${ROWS}`], {
      rows: COUNT,
      plan: async (plan) => {
        // keel generate writes it: linted as it lints (every table large and busy), no step blocks writers.
        expect(await blockingWhenGenerated(plan)).toEqual([])
        // The DO block and the ADD CONSTRAINT of each key, in the transaction, claim ACCESS EXCLUSIVE on each leaf
        // too (ADD CONSTRAINT recurses), not on the partitioned table alone.
        const claimed = plan.steps
          .filter((s) => s.transactional && s.lock.on.some((t) => t.name === 'm'))
          .map((s) => [s.lock.mode, s.lock.on.map((t) => t.name).sort()])
        expect(claimed).toEqual(Array(4).fill(['ACCESS EXCLUSIVE', ['m', 'm_eu_1', 'm_us']]))
      },
      apply: async (plan, start) => {
        // The concurrent builds, outside any transaction: each leaf then has its keys' indexes, valid.
        await applyPlan(start, { ...plan, steps: plan.steps.filter((s) => !s.transactional) })
        const built = await leafIndexes(start)
        expect(built.map((i) => [i.name, i.valid])).toEqual([
          ['m_eu_1_k_region_id_key', true],
          ['m_eu_1_pkey', true],
          ['m_us_k_region_id_key', true],
          ['m_us_pkey', true],
        ])
        // The rest builds none: the leaves end with the very indexes built above, taken as their keys.
        await applyPlan(start, { ...plan, steps: plan.steps.filter((s) => s.transactional) })
        expect(await leafIndexes(start)).toEqual(built)
      },
    })
  })

  it('leaves a partition the plan creates to the key, and stops at one it does not know', async () => {
    const EXTRA = "create table m_fr partition of m for values in ('fr');"
    const LATE = "create table m_de partition of m for values in ('de');"
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}${EXTRA}${KEYS}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        const plan = dialect.plan(diff(await dialect.introspect(start.conn), target, [], dialect).changes, safePolicy)
        // Made after the plan, with rows.
        await start.conn.exec(`${LATE}insert into m values (500, 'de', 500);`)
        await expect(applyPlan(start.conn, plan)).rejects.toThrow(
          /partition m_de of the partitioned table public\.m has no unique index over \(id, region\)/,
        )
        expect(
          await start.conn.query(
            "select conname from pg_constraint where conrelid = 'm'::regclass and contype in ('p', 'u')",
          ),
        ).toEqual([])
        // What the error says to do, for both keys; then the plan again from the transaction that failed (the first
        // after the concurrent builds, which were committed).
        await start.conn.exec(`create unique index m_de_a on m_de (id, region);
          create unique index m_de_b on m_de (k, region, id) nulls not distinct;`)
        await goal.conn.exec(LATE)
        const failed = plan.steps.findIndex((s, i) => s.transactional && plan.steps[i - 1]?.transactional === false)
        await applyPlan(start.conn, { ...plan, steps: plan.steps.slice(failed) })
        expect(
          diff(await dialect.introspect(start.conn), await dialect.introspect(goal.conn), [], dialect).changes,
        ).toEqual([])
        expect(await start.conn.query('select count(*)::int as n from m')).toEqual([{ n: 201 }])
      })
    })
  })

  it('adds a key over names that hold a %, which RAISE must not read as placeholders', async () => {
    // On 6e5cd93: "too few parameters specified for RAISE" when the DO block compiled, every partition known.
    const ODD = `create table "m%" (id int not null, "r%" text not null) partition by list ("r%");
      create table "m%_a" partition of "m%" for values in ('a');`
    await convergesOnce(
      name,
      `${ODD}alter table "m%" add primary key (id, "r%");`,
      [`${ODD}insert into "m%" select g, 'a' from generate_series(1, 20) g;`],
      { rows: 'select count(*)::int as n from "m%"' },
    )
  })

  it('adds a key over names that hold $keel$ and a backslash, which end no dollar quote and no literal', async () => {
    // On f473031: the fixed $keel$ tag of the DO block ended at the name (42601 syntax error).
    const ODD = `create table "m$keel$\\" (id int not null, r text not null) partition by list (r);
      create table "m$keel$\\_a" partition of "m$keel$\\" for values in ('a');`
    await convergesOnce(
      name,
      `${ODD}alter table "m$keel$\\" add primary key (id, r);`,
      [`${ODD}insert into "m$keel$\\" select g, 'a' from generate_series(1, 20) g;`],
      { rows: 'select count(*)::int as n from "m$keel$\\"' },
    )
  })
})
