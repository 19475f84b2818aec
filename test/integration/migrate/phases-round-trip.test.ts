/**
 * The round trip of phased plans (issue 7): for random schema pairs (A, B), the plan `keel generate` writes (its
 * expand, backfill and contract phases, else the one-migration safe plan), applied phase after phase to a database
 * holding A, yields a database whose introspection has no difference from B. The one-migration plans' own round
 * trip (with the reverse) is test/support/suites/round-trip.ts; this one covers what planPhases adds: held columns,
 * enums kept whole until the contract, swaps. KEEL_PHASE_PAIRS and KEEL_PHASE_SEED change the count and seed;
 * KEEL_PHASE_PATH (with the seed) replays one pair alone, by its fast-check path as a failure prints it (`79`: the 80th pair).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase, type ScratchDatabase } from '../../../src/db/scratch.js'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { KeelError } from '../../../src/errors.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, POSTGRES_URL } from '../../support/databases.js'
import { schemaPairArb } from '../../support/random-schema.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => getDialect('postgres').phaseSql?.prepare())

const PAIRS = Number(process.env.KEEL_PHASE_PAIRS ?? 60)
const SEED = Number(process.env.KEEL_PHASE_SEED ?? 1106)
const PATH = process.env.KEEL_PHASE_PATH
if (PATH !== undefined && !/^\d+(:\d+)*$/.test(PATH))
  throw new Error(`KEEL_PHASE_PATH=${PATH}: expected a path such as 80`)
const dialect = getDialect('postgres')

describe.skipIf(!DIALECTS.includes('postgres'))('phased plans round trip on postgres', () => {
  let work: ScratchDatabase
  let target: ScratchDatabase
  beforeAll(async () => {
    work = await createScratchDatabase(POSTGRES_URL, 'keel_phase_work')
    target = await createScratchDatabase(POSTGRES_URL, 'keel_phase_target')
  })
  afterAll(async () => {
    await work?.dispose()
    await target?.dispose()
  })

  it(`the phases of diff(A, B), applied in order to A, give B (${PATH === undefined ? `${PAIRS} pairs` : `seed ${SEED}, pair at path ${PATH}`})`, async () => {
    const phaseDialect = phaseDialectOf(dialect)
    if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
    let phased = 0
    await fc.assert(
      fc.asyncProperty(schemaPairArb, async ([a, b]) => {
        const introspectedA = await recreate(work.conn, a)
        const introspectedB = await recreate(target.conn, b)
        let phases: ReturnType<typeof planPhases>
        try {
          phases = planPhases(introspectedA, introspectedB, [], phaseDialect)
        } catch (error) {
          // A backfill of a table without a usable key is refused when planned, by design (issue 7).
          if (error instanceof KeelError && error.code === 'BACKFILL_NO_KEY') return
          throw error
        }
        if (phases !== undefined) phased++
        const plan = phases ?? dialect.plan(diff(introspectedA, introspectedB).changes, safePolicy)
        // Nothing before the contract drops a column: the running release may still read it.
        const early = plan.steps.filter((s) => s.phase !== 'contract' && /\bDROP COLUMN\b/.test(s.sql))
        expect(early.map((s) => s.sql)).toEqual([])
        try {
          try {
            await applyPhasedPlan(work.conn, plan)
          } catch (error) {
            // A backfill refuses a table without a usable key, by design (issue 7): nothing more to check then.
            if (error instanceof KeelError && error.code === 'BACKFILL_NO_KEY') return
            throw error
          }
          expect(diff(await dialect.introspect(work.conn), introspectedB).changes).toEqual([])
        } catch (error) {
          if (error instanceof Error)
            error.message += `\n--- steps:\n${plan.steps.map((s) => `-- ${s.phase}\n${s.sql}`).join(';\n')}`
          throw error
        }
      }),
      // A replayed path runs that one pair, and a sample of one proves nothing about how many pairs are phased.
      {
        numRuns: PATH === undefined ? PAIRS : 1,
        seed: SEED,
        endOnFailure: true,
        ...(PATH === undefined ? {} : { path: PATH }),
      },
    )
    // The sample must exercise the phases, not only the one-migration plan.
    if (PATH === undefined) expect(phased).toBeGreaterThan(PAIRS / 4)
  }, 600_000)
})

/** Empties the database and creates `schema` in it; returns the introspected (server-normalised) schema. */
async function recreate(conn: Connection, schema: Schema): Promise<Schema> {
  await conn.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
  await applyPlan(conn, dialect.plan(diff(emptySchema, dialect.normalize(schema)).changes, directPolicy))
  return dialect.introspect(conn)
}
