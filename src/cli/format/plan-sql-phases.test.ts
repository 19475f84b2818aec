/**
 * keel push and keel diff take a phased plan whole (push's dry run prints it with planToSql, and applies it with
 * applyPlan between its backfills), where generate renders each phase apart: both keep an enum recreated in place in
 * one transaction (migrate/whole-runs.ts). Taken whole, the contract's recreation counted the expand's steps on its
 * tables among its members, and the run stretched over the expand's concurrent builds: error[SPLIT_RUN] for plans that
 * generate writes (25 of 4,000 pairs, seeds 1-8; seed 1, pair 274). Pure: the round trip's generator, no database.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { schemaPairArb } from '../../../test/support/random-schema.js'
import { phaseDialectOf } from '../../dialect/phase-dialect.js'
import { getDialect } from '../../dialect/registry.js'
import { diff } from '../../diff/diff.js'
import { KeelError } from '../../errors.js'
import { planPhases } from '../../plan/phases.js'
import { planToSql } from './plan-sql.js'

beforeAll(() => getDialect('postgres').phaseSql?.prepare())

const phased = (seed: number, pairs: number) => {
  const phaseDialect = phaseDialectOf(getDialect('postgres'))
  if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
  return fc.sample(schemaPairArb, { numRuns: pairs, seed }).flatMap(([a, b], i) => {
    if (diff(a, b).changes.length === 0) return []
    try {
      const plan = planPhases(a, b, [], phaseDialect)
      return plan === undefined ? [] : [{ pair: i + 1, plan }]
    } catch (error) {
      if (error instanceof KeelError && error.code === 'BACKFILL_NO_KEY') return []
      throw error
    }
  })
}

describe('a phased plan taken whole (keel push, keel diff)', () => {
  it('keeps each recreation whole within its phase, refusing none (seed 1, 500 pairs)', () => {
    const plans = phased(1, 500)
    expect(plans.length).toBeGreaterThan(100)
    const refused: string[] = []
    for (const { pair, plan } of plans) {
      try {
        planToSql(plan)
      } catch (error) {
        if (!(error instanceof KeelError) || error.code !== 'SPLIT_RUN') throw error
        refused.push(`pair ${pair}: ${error.message}`)
      }
    }
    expect(refused).toEqual([])
  })

  it("prints pair 274's recreation in one BEGIN ... COMMIT of the contract, after the expand's concurrent build", () => {
    const found = phased(1, 274).find(({ pair }) => pair === 274)
    if (found === undefined) throw new Error('seed 1, pair 274 plans in phases')
    const { plan } = found
    const recreation = plan.steps.filter((s) => s.source.kind === 'alterEnum' && s.transactional)
    expect(recreation.map((s) => s.phase)).toContain('contract')
    const sql = planToSql(plan, { annotate: false, atomic: true })
    const begin = sql.indexOf('BEGIN;')
    const commit = sql.indexOf('COMMIT;', begin)
    expect(sql.indexOf('CREATE UNIQUE INDEX CONCURRENTLY items_pkey')).toBeLessThan(begin)
    const wrapped = sql.slice(begin, commit)
    expect(wrapped).toContain('ALTER TYPE public.state RENAME TO state_keel_old')
    expect(wrapped).toContain('ALTER TABLE public.items ALTER COLUMN c TYPE public.state')
    expect(wrapped).not.toContain('CONCURRENTLY')
    expect(wrapped).not.toContain('VALIDATE CONSTRAINT')
  })
})
