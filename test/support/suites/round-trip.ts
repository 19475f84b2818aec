/**
 * The property-based round trip (DESIGN.md's first quality bar), as a suite to run against any PostgreSQL-protocol
 * database: for random schema pairs (A, B), applying Keel's plan for diff(A, B) to a database holding A yields a
 * database whose introspection has no difference from B, and running the plan's reverse restores A.
 * Used by test/conformance/round-trip.test.ts (system server), round-trip-pglite.test.ts and the version matrix (test/matrix/).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase, type ScratchDatabase } from '../../../src/db/scratch.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { schemaPairArb } from '../random-schema.js'
import { roundTripOptions, roundTripParameters } from '../round-trip-options.js'
import { runScript } from '../run-script.js'

const dialect = getDialect('postgres')

/**
 * Defines `round trip on <label>`: `near()` is the server URL the scratch databases are made beside (read in
 * beforeAll, so a server started by an enclosing beforeAll works), or undefined for in-memory PGlite. `runs` pairs,
 * unless the environment says otherwise (round-trip-options.ts: seed, one failure's path, pair count).
 */
export function roundTripSuite(label: string, near: () => string | undefined, defaultRuns: number): void {
  const options = roundTripOptions(defaultRuns)
  const runs = options.path === undefined ? `${options.runs} pairs` : `pair ${options.path} of seed ${options.seed}`
  // Each pair takes well under a second; a deeper run (KEEL_ROUND_TRIP_RUNS) gets the time it needs.
  const timeout = Math.max(600_000, options.runs * 3_000)
  describe(`round trip on ${label}`, { timeout }, () => {
    let work: ScratchDatabase
    let target: ScratchDatabase
    beforeAll(async () => {
      work = await createScratchDatabase(near(), 'keel_prop_work')
      target = await createScratchDatabase(near(), 'keel_prop_target')
    })
    afterAll(async () => {
      await work?.dispose()
      await target?.dispose()
    })

    it(`diff(A, B) applied to A gives B, and its reverse gives A back (${runs})`, async () => {
      const file = expect.getState().testPath ?? 'test/conformance/round-trip.test.ts'
      const parameters = roundTripParameters<[readonly [Schema, Schema]]>(options, file)
      await fc.assert(
        fc.asyncProperty(schemaPairArb, async ([a, b]) => {
          const introspectedA = await recreate(work.conn, a)
          const introspectedB = await recreate(target.conn, b)
          // Sequence values past 2^53 come back exactly as declared (a rounding reader or writer would differ here).
          expect(introspectedB.sequences).toEqual(dialect.normalize(b).sequences)

          const plan = dialect.plan(diff(introspectedA, introspectedB, [], dialect).changes, safePolicy)
          await withPlanInError(
            plan.steps.map((step) => step.sql),
            async () => {
              await applyPlan(work.conn, plan)
              const afterForward = await dialect.introspect(work.conn)
              expect(diff(afterForward, introspectedB, [], dialect).changes).toEqual([])
            },
          )

          const reverse = reversePlan(plan)
          if (!('sql' in reverse)) throw new Error(`plan is not reversible: ${reverse.irreversible.join('; ')}`)
          await withPlanInError(reverse.sql, async () => {
            await runScript(work.conn, reverse.sql)
            const afterReverse = await dialect.introspect(work.conn)
            expect(diff(afterReverse, introspectedA, [], dialect).changes).toEqual([])
          })
        }),
        parameters,
      )
    })
  })
}

/** Empties the database and creates `schema` in it; returns the introspected (server-normalised) schema. */
async function recreate(conn: Connection, schema: Schema): Promise<Schema> {
  await conn.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
  await applyPlan(conn, dialect.plan(diff(emptySchema, dialect.normalize(schema)).changes, directPolicy))
  return dialect.introspect(conn)
}

/** Runs `fn`; a failure's message gains the statements that ran, so that a failing pair reads as SQL. */
async function withPlanInError(statements: readonly string[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof Error) error.message += `\n--- statements:\n${statements.join(';\n')}`
    throw error
  }
}
