/**
 * Issue 11's proof that everything `keel generate` emits under the default policy lints with no error finding, on
 * PostgreSQL: random schema pairs (the round trip's generator) planned as generate plans them (expand/contract
 * phases, else the safe policy), rendered into migrations as generate writes them, and linted as generate lints
 * them (src/migrate/blocking-steps.ts), with no database: every table of the first schema is assumed large and busy.
 * Pure, a few seconds for the default 60 pairs; KEEL_LINT_PAIRS and KEEL_LINT_SEED change the count and seed.
 *
 * Generate writes nothing that lint refuses: a plan with a step that blocks writers and has no online form (a
 * stored generated column added to an existing table, a column such a column reads retyped) is refused with
 * error[NO_ONLINE_FORM], and a phased plan whose backfill has no key to walk by with error[BACKFILL_NO_KEY]. So the
 * test asserts that every error finding is on a step the planner marks as having no online form (Step.noOnlineForm:
 * anything else is a planner gap, and fails), counts the refusals by reason, and checks that what
 * `--allow-unsafe` writes (those steps marked `-- keel:lint-ignore RULE reason`) lints with no error at all.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../src/dialect/phase-dialect.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { KeelError } from '../../src/errors.js'
import { acceptedSteps, lintGenerated } from '../../src/migrate/blocking-steps.js'
import { type RenderedMigration, renderMigrations } from '../../src/migrate/render-migration.js'
import { planPhases } from '../../src/plan/phases.js'
import { safePolicy } from '../../src/plan/policy.js'
import { schemaPairArb } from '../support/random-schema.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => getDialect('postgres').phaseSql?.prepare())

const PAIRS = Number(process.env.KEEL_LINT_PAIRS ?? 60)
const SEED = Number(process.env.KEEL_LINT_SEED ?? 1106)

/**
 * Why generate may refuse a plan, by the rules its blocking steps break (or the error it throws). With the default
 * count and seed each one occurs (on 300 pairs, seed 1106: of 300 pairs, 43 BACKFILL_NO_KEY and 81 plans with
 * steps of no online form; before, these were written, and lint or migrate refused them).
 */
const REFUSALS: Readonly<Record<string, string>> = {
  'ban-add-stored-generated-column':
    'a stored generated column added to an existing table (new, or added again with a new expression or after a retype of a column it reads): PostgreSQL computes it for every row under ACCESS EXCLUSIVE',
  'ban-alter-column-type':
    'a column that a kept stored generated column reads, retyped: PostgreSQL refuses to retype it or swap it while the generated column exists',
  BACKFILL_NO_KEY:
    'a phased change needs a backfill of a table without a primary key or unique key over NOT NULL columns',
}

const lint = (rendered: readonly RenderedMigration[]) =>
  lintGenerated(
    rendered.map((migration, i) => ({ id: `2026010100000${i}_generated`, file: `${i}/up.sql`, migration })),
    { dialect: 'postgres' },
  )

describe('keel generate under the default policy', () => {
  it(`writes migrations that lint with no error finding, or refuses with a reason (${PAIRS} random schema pairs, PostgreSQL)`, async () => {
    const dialect = getDialect('postgres')
    const phaseDialect = phaseDialectOf(dialect)
    if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
    const refused = new Map<string, number>()
    const count = (reason: string) => refused.set(reason, (refused.get(reason) ?? 0) + 1)
    let written = 0
    let statements = 0
    for (const [a, b] of fc.sample(schemaPairArb, { numRuns: PAIRS, seed: SEED })) {
      const result = diff(a, b)
      if (result.changes.length === 0) continue
      let phased: ReturnType<typeof planPhases>
      try {
        phased = planPhases(a, b, [], phaseDialect)
      } catch (error) {
        if (!(error instanceof KeelError) || error.code !== 'BACKFILL_NO_KEY') throw error
        count(error.code)
        continue
      }
      const plan = phased ?? dialect.plan(result.changes, safePolicy, { from: a, to: b })
      const options = { unsafe: false, phased: phased !== undefined }
      const rendered = renderMigrations(plan, options)
      const linted = await lint(rendered)
      const text = rendered.map((m) => m.files['up.sql']).join('\n')
      // No error finding outside a step (about a migration as a whole): generate would write it.
      const onSteps = new Set(linted.blocking.flatMap((b) => b.findings))
      const loose = linted.files.flatMap((f) => f.findings.filter((x) => x.severity === 'error' && !onSteps.has(x)))
      expect(
        loose.map((f) => `${f.rule}: ${f.message}`),
        text,
      ).toEqual([])
      if (linted.blocking.length === 0) {
        written += rendered.length
        statements += plan.steps.length
        continue
      }
      for (const { step, findings } of linted.blocking) {
        // A planner gap: a blocking step that has an online form Keel does not write yet.
        expect(step.noOnlineForm, `${findings.map((f) => `${f.rule}: ${f.message}`).join('\n')}\n${text}`).toBeDefined()
        for (const rule of new Set(findings.map((f) => f.rule))) {
          expect(REFUSALS[rule], `a new reason to refuse: ${rule}\n${text}`).toBeDefined()
          count(rule)
        }
      }
      // What --allow-unsafe writes: the same plan, its blocking steps accepted by name, lints clean.
      const accepted = await lint(renderMigrations(plan, { ...options, accepted: acceptedSteps(linted.blocking) }))
      const left = accepted.files.flatMap((f) => f.findings.filter((x) => x.severity === 'error'))
      expect(left.map((f) => `${f.rule}: ${f.message}`)).toEqual([])
    }
    // The sample must write something worth linting.
    expect(written).toBeGreaterThan(PAIRS / 3)
    expect(statements).toBeGreaterThan(PAIRS)
    // Each reason occurs with the default count and seed (so that the list shrinks as the planner learns).
    if (process.env.KEEL_LINT_PAIRS === undefined && process.env.KEEL_LINT_SEED === undefined)
      expect([...refused.keys()].sort()).toEqual(Object.keys(REFUSALS).sort())
  })
})
