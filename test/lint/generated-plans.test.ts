/**
 * Issue 11's proof that everything `keel generate` emits under the default policy lints with no error finding, on
 * PostgreSQL: random schema pairs (the round trip's generator) planned as generate plans them (expand/contract
 * phases, else the safe policy), rendered into migrations as generate writes them, and linted as generate lints
 * them, with no database: every table of the first schema is assumed large and busy. Pure, a few seconds for
 * the default 60 pairs; KEEL_LINT_PAIRS and KEEL_LINT_SEED change the count and seed.
 *
 * It does not hold yet for two classes: the planner still emits a few changes in their blocking form. Each is
 * listed in GAPS with its reason and a ceiling, so that the test fails on any new class, on growth, and on a
 * listed one that no longer occurs (so that the list shrinks as the planner learns).
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
 * Error findings on generated plans that remain, by rule, each with why and how many the default sample (60 pairs,
 * seed 1106) may have at most, so that the test fails on any new kind and on any growth (a ratchet: lower it
 * when the planner learns). On 300 pairs (seed 1106), after issue 7's fixes: 117 ban-alter-column-type (was 168),
 * 111 ban-add-stored-generated-column (was 100); ban-drop-column 63 -> 0, require-default-for-not-null-column
 * 67 -> 0, require-concurrent-index 10 -> 0.
 */
const GAPS: Readonly<Record<string, { readonly why: string; readonly max: number }>> = {
  'ban-alter-column-type': {
    why: 'a retype kept in one rewriting step, mostly in the contract (104 of 117 on 300 pairs): an enum recreated because it loses or reorders values (no online form: its columns are converted), a column that a stored generated column reads (the generated column must be added again, which rewrites the table anyway), or one still outside the swap route (identity or serial changes, exclusion constraints, deferrable keys); 13 in the expand phase are not yet narrowed down',
    max: 18,
  },
  'ban-add-stored-generated-column': {
    why: 'a stored generated column added to an existing table: PostgreSQL (before 17, and 17 too) computes it for every row under ACCESS EXCLUSIVE, and a trigger-filled plain column would not be the schema asked for; Keel keeps the finding so that the user decides (accept it with -- keel:lint-ignore and a reason, or declare a plain column)',
    max: 14,
  },
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
            GAPS[f.rule]?.why,
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
    // A gap no longer seen leaves the list, and none grows (with the default count and seed, which meet each of them).
    if (process.env.KEEL_LINT_PAIRS === undefined && process.env.KEEL_LINT_SEED === undefined) {
      expect([...seen.keys()].sort()).toEqual(Object.keys(GAPS).sort())
      for (const [rule, count] of seen) expect(count, rule).toBeLessThanOrEqual(GAPS[rule]?.max ?? 0)
    }
  })
})
