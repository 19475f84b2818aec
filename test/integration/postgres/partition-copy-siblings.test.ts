/**
 * Two new indexes or keys of one plan over the same columns of a partitioned table: the server names each leaf's copy
 * of the second after the first's (`<leaf>_k_idx`, then `<leaf>_k_idx1`, as ChooseRelationName numbers a held name).
 * The online forms named both copies alike from the names the start held, and the second concurrent build failed with
 * 42P07. Names are now given across the plan's changes, and the result is the goal's whichever index the goal made
 * first. PostgreSQL 15 and PGlite, under the safe and the direct policy. And a copy the plan makes, renamed, is found
 * by what it is attached to, not by its default name, which a relation made after the plan may hold.
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

// Each pair in both orders: the goal's first takes the leaves' default names, whatever order the plan makes them in.
const PAIRS = [
  ['two indexes', 'create index m_a on m (k);', 'create index m_b on m (k);'],
  [
    'an index and a key',
    'create index m_a on m (k, region, id);',
    'alter table m add constraint m_b unique (k, region, id);',
  ],
  [
    'two keys',
    'alter table m add constraint m_a unique (k, region, id);',
    'alter table m add constraint m_b unique (k, region, id);',
  ],
] as const

const CASES = PAIRS.flatMap(([what, a, b]) => [
  [`${what}, the first by name made first`, `${a}${b}`],
  [`${what}, the last by name made first`, `${b}${a}`],
])

describe.each(DIALECTS)('new copies of one plan over the same columns, on %s', (name) => {
  describe.each([
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const)('under the %s policy', (_policy, policy) => {
    it.each(CASES)('%s', async (_what, add) => {
      await convergesOnce(name, `${TREE}${add}`, [`${TREE}${ROWS}`], { rows: PARTITION_ROWS_BY_REGION, policy })
    })
  })

  it("builds the second index's copies under the next free names, as the server numbers them", async () => {
    await convergesOnce(name, `${TREE}create index m_b on m (k); create index m_a on m (k);`, [`${TREE}${ROWS}`], {
      rows: PARTITION_ROWS_BY_REGION,
      plan: (plan) => {
        const sql = plan.steps.map((s) => s.sql)
        expect(sql).toContain('CREATE INDEX CONCURRENTLY m_us_k_idx ON public.m_us (k)')
        expect(sql).toContain('CREATE INDEX CONCURRENTLY m_us_k_idx1 ON public.m_us (k)')
        expect(sql).toContain('CREATE INDEX m_eu_k_idx1 ON ONLY public.m_eu (k)')
      },
    })
  })
})

// A copy the plan makes, renamed: the server names it at run time, beside whatever holds its default name then (a
// relation made after the plan). The plain ALTER INDEX of the default name renamed that relation instead.
describe.each(DIALECTS)('a new copy renamed beside a relation made after the plan, on %s', (name) => {
  it.each([
    ['a table', 'create table m_us_k_idx (a int);', 'table'],
    ['an index', 'create table other (a int); create index m_us_k_idx on other (a);', 'index'],
  ])(
    'renames the copy of a new index and leaves %s of its default name alone (direct policy)',
    async (_what, late, kind) => {
      await withReusedDatabase(name, async (goal) => {
        await goal.conn.exec(`${TREE}create index m_k_idx on m (k); alter index m_us_k_idx rename to m_us_custom;`)
        const target = await dialect.introspect(goal.conn)
        await withReusedDatabase(name, async (start) => {
          await start.conn.exec(`${TREE}${ROWS}`)
          const changes = diff(await dialect.introspect(start.conn), target, [], dialect).changes
          const plan = dialect.plan(changes, directPolicy)
          await start.conn.exec(late)
          await applyPlan(start.conn, plan)
          // The late relation keeps its name; the copy (the server named it m_us_k_idx1) has the goal's.
          const held = `select c.relkind::text as kind from pg_class c where c.relname = 'm_us_k_idx'`
          expect(await start.conn.query(held)).toEqual([{ kind: kind === 'table' ? 'r' : 'i' }])
          const copy = `select c.relname::text as name from pg_index i join pg_class c on c.oid = i.indexrelid
          where i.indrelid = 'm_us'::regclass`
          expect(await start.conn.query(copy)).toEqual([{ name: 'm_us_custom' }])
          await start.conn.exec(`drop ${kind} m_us_k_idx;${kind === 'index' ? ' drop table other;' : ''}`)
          expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
          expect(await start.conn.query('select count(*)::int as n from m')).toEqual([{ n: 200 }])
        })
      })
    },
  )

  const START = `create table m (id int not null, region text not null, k int not null) partition by list (region);
    create table m_eu partition of m for values in ('eu');
    create index m_k_idx on m (k);
    create table m_us (id int not null, region text not null, k int not null);
    insert into m_us select g, 'us', g from generate_series(1, 10) g;`

  it.each([
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const)(
    'renames the copy an attach makes and leaves a table of its default name alone (%s policy)',
    async (_policy, policy) => {
      await withReusedDatabase(name, async (goal) => {
        await goal.conn.exec(
          `${START}alter table m attach partition m_us for values in ('us'); alter index m_us_k_idx rename to m_us_custom;`,
        )
        const target = await dialect.introspect(goal.conn)
        await withReusedDatabase(name, async (start) => {
          await start.conn.exec(START)
          const plan = dialect.plan(diff(await dialect.introspect(start.conn), target, [], dialect).changes, policy)
          await start.conn.exec('create table m_us_k_idx (a int);')
          await applyPlan(start.conn, plan)
          const held = `select relkind::text as kind from pg_class where relname = 'm_us_k_idx'`
          expect(await start.conn.query(held)).toEqual([{ kind: 'r' }])
          await start.conn.exec('drop table m_us_k_idx;')
          expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
          expect(await start.conn.query('select count(*)::int as n from m_us')).toEqual([{ n: 10 }])
        })
      })
    },
  )
})
