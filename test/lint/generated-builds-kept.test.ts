/**
 * A plan builds nothing it drops again: on the round trip's generator (seed 1106, 300 pairs, planned as keel generate
 * plans them: phases, else the safe policy), no index or key is created (or attached under its name) and then dropped
 * by a later step of the same plan. Before, a keyed retype built every index and unique key of the old column again on
 * the new one, including those the goal drops, which the swap renamed and the contract dropped right after: 10 indexes
 * (pair 284 among them) and 5 unique keys, in 13 of the 300 pairs. Pure: no database.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../src/dialect/phase-dialect.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { KeelError } from '../../src/errors.js'
import { planPhases } from '../../src/plan/phases.js'
import { safePolicy } from '../../src/plan/policy.js'
import { schemaPairArb } from '../support/random-schema.js'

beforeAll(() => getDialect('postgres').phaseSql?.prepare())

const lastName = (qualified: string) => qualified.split('.').pop() as string

/** The statements of `sql` that drop an index or key an earlier one built (or renamed or attached it to). */
function droppedAfterBuilt(sql: readonly string[]): string[] {
  const built = new Set<string>()
  const wasted: string[] = []
  for (const statement of sql) {
    const created = /^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(\S+)/.exec(statement)
    if (created) built.add(lastName(created[1] as string))
    const renamed = /^ALTER INDEX (\S+) RENAME TO (\S+)/.exec(statement)
    if (renamed && built.has(lastName(renamed[1] as string))) built.add(renamed[2] as string)
    const key = /ADD CONSTRAINT (\S+) (?:PRIMARY KEY|UNIQUE) USING INDEX/.exec(statement)
    if (key) built.add(key[1] as string)
    const dropped =
      /^DROP INDEX (?:CONCURRENTLY )?(?:IF EXISTS )?(\S+)/.exec(statement) ??
      /DROP CONSTRAINT (?:IF EXISTS )?(\S+)/.exec(statement)
    if (dropped && built.has(lastName(dropped[1] as string))) wasted.push(statement)
  }
  return wasted
}

describe('keel generate on random schema pairs', () => {
  it('builds no index or key that the same plan drops (seed 1106, 300 pairs, PostgreSQL)', () => {
    const dialect = getDialect('postgres')
    const phaseDialect = phaseDialectOf(dialect)
    if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
    const wasted: string[] = []
    let planned = 0
    fc.sample(schemaPairArb, { numRuns: 300, seed: 1106 }).forEach(([a, b], i) => {
      const changes = diff(a, b).changes
      if (changes.length === 0) return
      let phased: ReturnType<typeof planPhases>
      try {
        phased = planPhases(a, b, [], phaseDialect)
      } catch (error) {
        if (error instanceof KeelError && error.code === 'BACKFILL_NO_KEY') return
        throw error
      }
      const plan = phased ?? dialect.plan(changes, safePolicy, { from: a, to: b })
      planned++
      for (const statement of droppedAfterBuilt(plan.steps.map((s) => s.sql)))
        wasted.push(`pair ${i + 1}: ${statement}`)
    })
    expect(planned).toBeGreaterThan(200)
    expect(wasted).toEqual([])
  })
})
