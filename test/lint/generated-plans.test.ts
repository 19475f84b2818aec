/**
 * Issue 11's proof that everything `keel generate` emits under the default policy lints with no error finding, on
 * PostgreSQL: random schema pairs (the round trip's generator) planned as generate plans them (expand/contract
 * phases, else the safe policy), rendered into migrations as generate writes them, and linted as generate lints
 * them, with no database: every table of the first schema is assumed large and busy. Pure, a few seconds for
 * the default 60 pairs; KEEL_LINT_PAIRS and KEEL_LINT_SEED change the count and seed.
 *
 * It does not hold yet: the planner still emits a few changes in their blocking form. Each such class is listed
 * in GAPS with its reason, so that the test fails on any new one (and on a listed one that no longer occurs,
 * so that the list shrinks as the planner learns).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { lintSteps } from '../../src/lint/lint-plan.js'
import { renderMigrations } from '../../src/migrate/render-migration.js'
import { planPhases } from '../../src/plan/phases.js'
import { safePolicy } from '../../src/plan/policy.js'
import { schemaPairArb } from '../support/random-schema.js'

const PAIRS = Number(process.env.KEEL_LINT_PAIRS ?? 60)
const SEED = Number(process.env.KEEL_LINT_SEED ?? 1106)

/**
 * Error findings on generated plans, by rule: planner gaps (issue 7), measured on 300 pairs (seed 1106): 117
 * ban-alter-column-type, 111 ban-add-stored-generated-column.
 */
const GAPS: Readonly<Record<string, string>> = {
  'ban-alter-column-type':
    'a retype the planner still keeps in one rewriting step (to or from an enum, and some integer, numeric and varchar retypes: not yet narrowed down)',
  'ban-add-stored-generated-column':
    'a stored generated column is added in one step: PostgreSQL has no online form (a plain column, a trigger and a backfill would be one)',
}

describe('keel generate under the default policy', () => {
  it(`writes migrations that lint with no error finding beyond the listed planner gaps (${PAIRS} random schema pairs, PostgreSQL)`, async () => {
    const dialect = getDialect('postgres')
    const phaseSql = dialect.phaseSql
    if (phaseSql === undefined) throw new Error('PostgreSQL plans in phases')
    const seen = new Map<string, number>()
    let migrations = 0
    let statements = 0
    for (const [a, b] of fc.sample(schemaPairArb, { numRuns: PAIRS, seed: SEED })) {
      const result = diff(a, b)
      if (result.changes.length === 0) continue
      const phased = planPhases(a, b, [], { plan: dialect.plan, phaseSql })
      const plan = phased ?? dialect.plan(result.changes, safePolicy, { from: a, to: b })
      for (const [i, m] of renderMigrations(plan, { unsafe: false, phased: phased !== undefined }).entries()) {
        const file = `2026010100000${i}_generated/up.sql`
        const linted = await lintSteps(
          file,
          m.files['up.sql'] ?? '',
          m.steps,
          {
            id: `2026010100000${i}_generated`,
            noTransaction: m.noTransaction,
            hasDown: 'down.sql' in m.files,
            upFile: file,
            ...(m.phase === undefined ? {} : { phase: m.phase }),
          },
          { dialect: 'postgres' },
        )
        const errors = linted.findings.filter((f) => f.severity === 'error')
        for (const f of errors) {
          expect(
            GAPS[f.rule],
            `a new kind of error on a generated plan:\n${f.rule}: ${f.message}\n${m.files['up.sql']}`,
          ).toBeDefined()
          seen.set(f.rule, (seen.get(f.rule) ?? 0) + 1)
        }
        migrations++
        statements += m.steps.length
      }
    }
    // The sample must plan something worth linting.
    expect(migrations).toBeGreaterThan(PAIRS / 2)
    expect(statements).toBeGreaterThan(PAIRS)
    // A gap no longer seen leaves the list (with the default count and seed, which meet each of them).
    if (process.env.KEEL_LINT_PAIRS === undefined && process.env.KEEL_LINT_SEED === undefined)
      expect([...seen.keys()].sort()).toEqual(Object.keys(GAPS).sort())
  })
})
