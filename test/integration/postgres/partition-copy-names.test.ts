/**
 * The online forms of an index and of a key added to a partitioned table that exists (partitioned-add-index.ts,
 * partitioned-add-key.ts) build each leaf's index concurrently under the name the server gives the leaf's copy. The
 * server chooses it as ChooseRelationName does: `<leaf>_<columns>_idx` (`_pkey`, `_key`), or, while a relation of the
 * schema (for a key: a constraint too) holds it, `_idx1`, `_idx2`, ... The plans built under the first whatever held
 * it: the concurrent build failed with 42P07 where the direct form took `_idx1`. Now the plan chooses as the server
 * does, from the names the model holds; the result is the direct form's (no difference, the same pg_dump, rows kept).
 * A relation made after the plan under the name a leaf's index takes stops the run before anything is built, with a
 * message that says so; once the name is free again, the run goes through. PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { convergesOnce } from '../../support/converges.js'
import { DIALECTS } from '../../support/databases.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'

const dialect = getDialect('postgres')

// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const TREE = partitionTree()
const ROWS = partitionRows()
const COUNT = PARTITION_ROWS_BY_REGION

// Relations and constraints that hold the default names of the leaves' copies (and of the first numbered ones).
const HOLDERS = `
create table m_us_k_idx (a int);
create sequence m_us_k_idx1;
create table m_eu_1_pkey (a int);
create table other (a int constraint m_us_pkey check (a > 0), b int);
create index m_eu_1_k_region_id_key on other (b);
`

describe.each(DIALECTS)('the names of leaf copies the online forms build, on %s', (name) => {
  it('builds an index on each leaf under the name the direct form gives it beside relations holding the default', async () => {
    await convergesOnce(name, `${TREE}${HOLDERS}create index on m (k);`, [`${TREE}${HOLDERS}${ROWS}`], {
      rows: COUNT,
      plan: (plan) => {
        expect(plan.steps.map((s) => s.sql)).toContain('CREATE INDEX CONCURRENTLY m_us_k_idx2 ON public.m_us (k)')
      },
    })
  })

  it('builds a key on each leaf under the name the direct form gives it beside relations and constraints', async () => {
    const KEYS = 'alter table m add primary key (id, region); alter table m add unique (k, region, id);'
    await convergesOnce(name, `${TREE}${HOLDERS}${KEYS}`, [`${TREE}${HOLDERS}${ROWS}`], {
      rows: COUNT,
      plan: (plan) => {
        const sql = plan.steps.map((s) => s.sql)
        expect(sql).toContain('CREATE UNIQUE INDEX CONCURRENTLY m_eu_1_pkey1 ON public.m_eu_1 (id, region)')
        expect(sql).toContain('CREATE UNIQUE INDEX CONCURRENTLY m_us_pkey1 ON public.m_us (id, region)')
        expect(sql).toContain(
          'CREATE UNIQUE INDEX CONCURRENTLY m_eu_1_k_region_id_key1 ON public.m_eu_1 (k, region, id)',
        )
      },
    })
  })

  it("builds an index and a key beside the leaves' copies of the table's own over the same columns", async () => {
    // The copies of m_k_idx and of m_k_region_key (m_us_k_idx, m_eu_1_k_region_id_key, ...) are in no table's indexes.
    const OWN = 'create index m_k_idx on m (k); alter table m add constraint m_k_region_key unique (k, region, id);'
    const ADD =
      'create index m_k_pos on m (k) where k > 0; alter table m add constraint m_k_region_u unique (k, region, id);'
    await convergesOnce(name, `${TREE}${OWN}${ADD}`, [`${TREE}${OWN}${ROWS}`], {
      rows: COUNT,
      plan: (plan) => {
        const sql = plan.steps.map((s) => s.sql)
        expect(sql).toContain('CREATE INDEX CONCURRENTLY m_eu_1_k_idx1 ON public.m_eu_1 (k) WHERE (k > 0)')
        expect(sql).toContain('CREATE UNIQUE INDEX CONCURRENTLY m_us_k_region_id_key1 ON public.m_us (k, region, id)')
      },
    })
  })

  it("renames a leaf's copy that has its default name in place, and back", async () => {
    // The copy holds its default name itself: no other relation does, and the rename keeps its reverse.
    const OWN = 'create index m_k_idx on m (k);'
    await convergesOnce(name, `${TREE}${OWN}alter index m_us_k_idx rename to m_us_custom;`, [`${TREE}${OWN}${ROWS}`], {
      rows: COUNT,
      plan: (plan) => {
        expect(plan.steps.map((s) => [s.sql, s.reverse])).toEqual([
          [
            'ALTER INDEX public.m_us_k_idx RENAME TO m_us_custom',
            { sql: 'ALTER INDEX public.m_us_custom RENAME TO m_us_k_idx' },
          ],
        ])
      },
    })
  })

  it("stops before it builds anything when an index added after the plan gave the leaves' copies its names", async () => {
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}create index on m (k);`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        const plan = dialect.plan(diff(await dialect.introspect(start.conn), target, [], dialect).changes, safePolicy)
        // Its copies are indexes of the very leaves, attached to m_late: no earlier run's build.
        await start.conn.exec('create index m_late on m (k);')
        await expect(applyPlan(start.conn, plan)).rejects.toThrow(
          'public.m_eu_1_k_idx, which this migration gives the index m_k_idx of partition public.m_eu_1, is held by another relation (the copy of another index)',
        )
        await start.conn.exec('drop index m_late;')
        await applyPlan(start.conn, plan)
        expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
      })
    })
  })

  // The direct form: the server names the copies; the goal's names of them are the ones it chose.
  it('converges under the direct policy beside the same relations', async () => {
    const ADD = 'create index on m (k); alter table m add primary key (id, region);'
    await convergesOnce(name, `${TREE}${HOLDERS}${ADD}`, [`${TREE}${HOLDERS}${ROWS}`], {
      rows: COUNT,
      policy: directPolicy,
    })
  })

  it.each([
    ['an index', 'create index on m (k);', 'create table m_us_k_idx (a int);', 'index m_k_idx', 'm_us_k_idx', 'm_us'],
    [
      'a key',
      'alter table m add primary key (id, region);',
      'create view m_eu_1_pkey as select 1 as a;',
      'unique index of primary key m_pkey',
      'm_eu_1_pkey',
      'm_eu_1',
    ],
  ])(
    'stops %s before it builds anything when a relation made after the plan holds a leaf copy’s name',
    async (_what, add, late, what, held, leaf) => {
      await withReusedDatabase(name, async (goal) => {
        await goal.conn.exec(`${TREE}${add}`)
        const target = await dialect.introspect(goal.conn)
        await withReusedDatabase(name, async (start) => {
          await start.conn.exec(`${TREE}${ROWS}`)
          const plan = dialect.plan(diff(await dialect.introspect(start.conn), target, [], dialect).changes, safePolicy)
          await start.conn.exec(late)
          await expect(applyPlan(start.conn, plan)).rejects.toThrow(
            `public.${held}, which this migration gives the ${what} of partition public.${leaf}, is held by another relation`,
          )
          // Nothing built: no index on any leaf.
          const built =
            "select count(*)::int as n from pg_index where indrelid in ('m_us'::regclass, 'm_eu_1'::regclass)"
          expect(await start.conn.query(built)).toEqual([{ n: 0 }])
          // The name freed, the same plan goes through.
          await start.conn.exec(`drop ${late.split(' ')[1]} ${held};`)
          await applyPlan(start.conn, plan)
          expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
          expect(await start.conn.query('select count(*)::int as n from m')).toEqual([{ n: 200 }])
        })
      })
    },
  )
})
