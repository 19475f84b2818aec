/**
 * An index added to a partitioned table that exists, under the safe policy. The plan was one CREATE INDEX on the
 * partitioned table, which builds every partition's copy in its statement under SHARE on each: writers wait for the
 * whole build. Now each leaf's index is built concurrently, then, in one transaction that builds nothing, the index is
 * created ON ONLY the partitioned table and each sub-partitioned partition and every partition's attached to its
 * parent's (partitioned-add-index.ts). keel generate writes it (lint finds no step that blocks writers), and the result
 * is the direct form's: no difference, the same pg_dump (copies under the server's names, one renamed), rows kept.
 * A partition made after the plan stops it with the error's advice; built as advised, it goes through. PostgreSQL 15
 * and PGlite.
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
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'

const dialect = getDialect('postgres')
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

// m_eu is partitioned again: its leaf m_eu_1 holds rows, as does m_us.
const TREE = partitionTree({ note: true })
const ROWS = partitionRows(200, { note: true })
const COUNT = PARTITION_ROWS_BY_REGION
// A plain index (its copy on m_us renamed, as pg_dump's ATTACH PARTITION keeps it), a unique one with INCLUDE and a
// partial one.
const INDEXES = `create index on m (k); alter index m_us_k_idx rename to m_us_keys;
create unique index m_ids on m (id, region) include (note); create index m_notes on m (note) where k > 10;`

// Every index of the tree: name, relation (by oid), validity.
const treeIndexes = (conn: Connection) =>
  conn.query<{ name: string; oid: string; valid: boolean }>(
    `select c.relname as name, c.oid::text as oid, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid in (select relid from pg_partition_tree('m')) order by 1`,
  )

describe.each(DIALECTS)('an index added to a partitioned table that exists, on %s', (name) => {
  it('builds the leaves’ indexes concurrently, then attaches them in a transaction that builds none', async () => {
    await convergesOnce(name, `${TREE}${ROWS}${INDEXES}`, [`${TREE}${ROWS}`], {
      rows: COUNT,
      // keel generate writes it: linted as it lints (every table large and busy), no step blocks writers.
      plan: async (plan) => expect(await blockingWhenGenerated(plan)).toEqual([]),
      apply: async (plan, start) => {
        // The concurrent builds, outside any transaction: each leaf then has its three indexes, valid.
        await applyPlan(start, { ...plan, steps: plan.steps.filter((s) => !s.transactional) })
        const leaves = await treeIndexes(start)
        expect(leaves.map((i) => [i.name, i.valid])).toEqual([
          ['m_eu_1_id_region_note_idx', true],
          ['m_eu_1_k_idx', true],
          ['m_eu_1_note_idx', true],
          ['m_us_id_region_note_idx', true],
          ['m_us_k_idx', true],
          ['m_us_note_idx', true],
        ])
        // The rest builds none: the leaves keep the very indexes built above; every index of the tree is valid.
        await applyPlan(start, { ...plan, steps: plan.steps.filter((s) => s.transactional) })
        const all = await treeIndexes(start)
        expect(all.filter((i) => leaves.some((l) => l.oid === i.oid)).map((i) => i.oid)).toEqual(
          leaves.map((l) => l.oid),
        )
        expect(all.every((i) => i.valid)).toBe(true)
      },
    })
  })

  it('builds on a partition the plan creates, and stops at one it does not know until it is built', async () => {
    const EXTRA = "create table m_fr partition of m for values in ('fr');"
    const LATE = "create table m_de partition of m for values in ('de');"
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}${EXTRA}${INDEXES}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        const plan = dialect.plan(diff(await dialect.introspect(start.conn), target, [], dialect).changes, safePolicy)
        // Made after the plan, with rows.
        await start.conn.exec(`${LATE}insert into m values (500, 'de', 500, 'x');`)
        await expect(applyPlan(start.conn, plan)).rejects.toThrow(
          /partition m_de of the partitioned table public\.m has no index like public\.(m_k_idx|m_ids|m_notes), .*Build it first \(CREATE (UNIQUE )?INDEX CONCURRENTLY ON m_de \(/,
        )
        expect(
          await start.conn.query("select relname from pg_class where relname in ('m_k_idx', 'm_ids', 'm_notes')"),
        ).toEqual([])
        // What the error says to do, for the three indexes; then the plan again from the transaction that failed
        // (the first after the concurrent builds, which were committed).
        await start.conn.exec(`create index on m_de (k); create unique index on m_de (id, region) include (note);
          create index on m_de (note) where k > 10;`)
        await goal.conn.exec(LATE)
        const failed = plan.steps.findIndex((s, i) => s.transactional && plan.steps[i - 1]?.transactional === false)
        await applyPlan(start.conn, { ...plan, steps: plan.steps.slice(failed) })
        expect(
          diff(await dialect.introspect(start.conn), await dialect.introspect(goal.conn), [], dialect).changes,
        ).toEqual([])
        if (name === 'postgres')
          expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(normalizePgDump(await pgDumpSchema(goal.url)))
        expect(await start.conn.query('select count(*)::int as n from m')).toEqual([{ n: 201 }])
      })
    })
  })

  it('builds an index whose predicate holds $keel$, which ends no dollar quote', async () => {
    // On f473031: the fixed $keel$ tag of the DO block ended in the predicate (42601 syntax error).
    const ODD = "create index m_odd on m (k) where note <> '$keel$';"
    await convergesOnce(name, `${TREE}${ODD}`, [`${TREE}${ROWS}`], {
      rows: COUNT,
      apply: async (plan, start) => {
        await applyPlan(start, plan)
        expect((await treeIndexes(start)).every((i) => i.valid)).toBe(true)
      },
    })
  })
})
