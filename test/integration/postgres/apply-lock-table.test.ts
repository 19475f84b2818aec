/**
 * A plan longer than the server's shared lock table allows in one transaction (1,400 new tables on a default
 * PostgreSQL 15: "out of shared memory", SQLSTATE 53200) is applied in several transactions that each fit.
 *
 * Creating thousands of tables to get there takes minutes; advisory locks take slots in the same table and cost
 * nothing, so each step here takes LOCKS_PER_STEP of them (what applyPlan counts a step as). The plan as a whole
 * takes more locks than the table can hold; only the split run is ever executed, so that no other test sharing
 * the server finds its lock table full. A full-size case with real tables is not
 * automated (it takes minutes): create ~1,400 tables in one `keel push` on a default server to see the split.
 */
import { describe, expect, it } from 'vitest'
import type { Plan, Step } from '../../../src/plan/step.js'
import { viewOf } from '../../../src/schema/build.js'
import { applyPlan, groupSteps, LOCKS_PER_STEP, splitLongGroups } from '../../../src/source/apply-plan.js'
import { changeOf } from '../../support/change-of.js'
import { withDatabase } from '../../support/databases.js'

const source = changeOf('createView', { view: viewOf('v', 'SELECT 1') })
const step = (sql: string, transactional = true): Step => ({
  sql,
  reverse: { irreversible: 'test step' },
  transactional,
  lock: { mode: 'EXCLUSIVE', blocks: 'writes', on: [] },
  rewritesTable: false,
  scansTable: false,
  dataLoss: 'none',
  phase: 'expand',
  source,
  comment: `step ${sql}`,
})

describe('splitLongGroups', () => {
  it('cuts only transactional runs longer than the limit, in order', () => {
    const steps = [step('a'), step('b'), step('c'), step('x', false), step('d'), step('e')]
    const split = splitLongGroups(groupSteps(steps), 2).map((group) => group.map((s) => s.sql))
    expect(split).toEqual([['a', 'b'], ['c'], ['x'], ['d', 'e']])
  })
})

describe('applyPlan within the lock budget', () => {
  it('applies a plan that needs more locks than the whole lock table in several transactions', async () => {
    await withDatabase('postgres', async ({ conn }) => {
      const [settings] = await conn.query<{ slots: number; budget: number }>(
        `select current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int
            + current_setting('max_prepared_transactions')::int + current_setting('autovacuum_max_workers')::int
            + current_setting('max_worker_processes')::int + current_setting('max_wal_senders')::int + 1) as slots,
          (current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int
            + current_setting('max_prepared_transactions')::int)) / 2 as budget`,
      )
      const slots = Number(settings?.slots)
      // Past the lock table's size and the slack PostgreSQL adds to it (10%): one transaction could not hold these.
      const steps = Math.ceil((slots * 1.25) / LOCKS_PER_STEP)
      await conn.exec('CREATE TABLE seen (step int, tx bigint)')
      const plan: Plan = {
        dialect: 'postgres',
        steps: Array.from({ length: steps }, (_, i) =>
          step(
            `INSERT INTO seen SELECT ${i}, txid_current() FROM (SELECT pg_advisory_xact_lock(k) FROM generate_series(${
              i * LOCKS_PER_STEP
            }, ${(i + 1) * LOCKS_PER_STEP - 1}) k) l LIMIT 1`,
          ),
        ),
      }
      await applyPlan(conn, plan)
      const [seen] = await conn.query<{ steps: number; transactions: number; largest: number }>(
        `select count(*)::int as steps, count(distinct tx)::int as transactions,
          (select max(n)::int from (select count(*) as n from seen group by tx) g) as largest from seen`,
      )
      expect(seen?.steps).toBe(steps)
      expect(seen?.transactions).toBeGreaterThan(1)
      expect((seen?.largest ?? 0) * LOCKS_PER_STEP).toBeLessThanOrEqual(Number(settings?.budget))
    })
  })

  it("passes the server's hint on when a step fails", async () => {
    await withDatabase('postgres', async ({ conn }) => {
      const plan: Plan = { dialect: 'postgres', steps: [step('SELECT 1'), step('SELECT no_such_function(1)')] }
      const error = await applyPlan(conn, plan).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'APPLY_FAILED' })
      expect((error as { hint: string }).hint).toMatch(/^Nothing was committed\. .*explicit type casts/)
    })
  })
})
