/**
 * Two new indexes or keys of one plan over the same columns of a partitioned table: the server names each leaf's copy
 * of the second after the first's (`<leaf>_k_idx`, then `<leaf>_k_idx1`, as ChooseRelationName numbers a held name).
 * The online forms named both copies alike from the names the start held, and the second concurrent build failed with
 * 42P07. Names are now given across the plan's changes, and the result is the goal's whichever index the goal made
 * first. PostgreSQL 15 and PGlite, under the safe and the direct policy.
 */
import { describe, expect, it } from 'vitest'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { convergesOnce } from '../../support/converges.js'
import { DIALECTS } from '../../support/databases.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'

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
