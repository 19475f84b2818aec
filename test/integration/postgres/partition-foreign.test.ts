/**
 * A partitioned table with a foreign partition (file_fdw), under the safe policy. No index is built on a foreign
 * table: CREATE INDEX on the partitioned table passes it over, and the index is valid; the online form
 * (partitioned-add-index.ts) built each leaf's index concurrently, then the index ON ONLY the table, which stays invalid
 * for good with a partition that has none, and its attach step stopped, saying to build an index CONCURRENTLY on the
 * foreign table. PostgreSQL refuses a key on such a table outright; the online key form (partitioned-add-key.ts)
 * built the leaves' indexes before the refusal. Now a tree with a foreign partition known to the plan (introspection
 * keeps them on the partitioned table: TableExt's foreignPartitions) takes the direct forms, said to have no online
 * form; one made after the plan stops the online form before it builds anything, with a message that says what to do.
 * PostgreSQL 15 only: PGlite has no foreign-data wrapper.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { convergesOnce } from '../../support/converges.js'
import { withDatabase } from '../../support/databases.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'

const dialect = getDialect('postgres')

const TREE = partitionTree()
const FOREIGN = `create extension file_fdw; create server files foreign data wrapper file_fdw;
create foreign table m_eu_fr partition of m_eu for values from (1000) to (2000) server files
  options (filename '/dev/null', format 'csv');`
const ROWS = partitionRows()
const COUNT = PARTITION_ROWS_BY_REGION

// The indexes of the tree's tables: name and validity.
const treeIndexes = (conn: Connection) =>
  conn.query<{ name: string; valid: boolean }>(
    `select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid in (select relid from pg_partition_tree('m')) order by 1`,
  )

describe('a partitioned table with a foreign partition, on postgres', () => {
  it('creates an index directly, the foreign partition passed over, and says it has no online form', async () => {
    await convergesOnce('postgres', `${TREE}${FOREIGN}create index on m (k);`, [`${TREE}${FOREIGN}${ROWS}`], {
      rows: COUNT,
      plan: (plan) => {
        const index = plan.steps.filter((s) => /INDEX/.test(s.sql))
        expect(index.map((s) => [s.sql, s.transactional])).toEqual([['CREATE INDEX m_k_idx ON public.m (k)', true]])
        expect(index[0]?.noOnlineForm).toMatch(/public\.m has a foreign partition public\.m_eu_fr, where no index/)
      },
    })
  })

  it('adds no key in the online form: the direct ADD CONSTRAINT, which the server refuses before it builds', async () => {
    await withDatabase('postgres', async (start) => {
      await start.conn.exec(`${TREE}${FOREIGN}${ROWS}`)
      const from = await dialect.introspect(start.conn)
      const to = {
        ...from,
        tables: from.tables.map((t) =>
          t.name.name === 'm' ? { ...t, primaryKey: { name: 'm_pkey', columns: ['id', 'region'] } } : t,
        ),
      }
      const plan = dialect.plan(diff(from, to, [], dialect).changes, safePolicy)
      expect(plan.steps.map((s) => s.sql)).toEqual([
        'ALTER TABLE public.m ADD CONSTRAINT m_pkey PRIMARY KEY (id, region)',
      ])
      expect(plan.steps[0]?.noOnlineForm).toMatch(/PostgreSQL refuses a primary key or unique constraint on it/)
      await expect(applyPlan(start.conn, plan)).rejects.toThrow(/contains partitions that are foreign tables/)
      expect(await treeIndexes(start.conn)).toEqual([])
    })
  })

  it.each([
    ['an index', 'create index on m (k);', /this online form would leave public\.m_k_idx invalid for good/],
    ['a key', 'alter table m add primary key (id, region);', /PostgreSQL refuses a primary key on a partitioned table/],
  ])('stops %s before it builds anything when a foreign partition is made after the plan', async (_w, add, advice) => {
    await withDatabase('postgres', async (goal) => {
      await goal.conn.exec(`${TREE}${add}`)
      const target = await dialect.introspect(goal.conn)
      await withDatabase('postgres', async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        const plan = dialect.plan(diff(await dialect.introspect(start.conn), target, [], dialect).changes, safePolicy)
        expect(plan.steps.some((s) => s.transactional === false)).toBe(true)
        await start.conn.exec(FOREIGN)
        const failure = applyPlan(start.conn, plan)
        await expect(failure).rejects.toThrow(
          /partition m_eu_fr of the partitioned table public\.m is a foreign table, one made after the migration was generated/,
        )
        await expect(failure).rejects.toThrow(advice)
        expect(await treeIndexes(start.conn)).toEqual([])
        expect(await start.conn.query('select count(*)::int as n from m')).toEqual([{ n: 200 }])
      })
    })
  })
})
