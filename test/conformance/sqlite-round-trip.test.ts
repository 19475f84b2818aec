/**
 * The property-based round trip on SQLite: for random schema pairs (A, B) written as SQLite SQL (see
 * random-sqlite-schema.ts), Keel's plan for diff(A, B) applied to a database holding A gives a database
 * with no difference from B, and the plan's reverse gives A back. Both directions go through the table
 * rebuild whenever ALTER TABLE cannot make a change. Each pair runs on fresh in-memory databases, so a
 * case costs milliseconds; rows are copied by the rebuild but the tables are empty here (the rebuild's
 * row-keeping is proven on 100,000 rows in test/integration/sqlite/rebuild.test.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { openDatabase } from '../../src/db/open.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { safePolicy } from '../../src/plan/policy.js'
import { reversePlan } from '../../src/plan/step.js'
import type { Schema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { renderSqliteSchema, sqliteSchemaPairArb } from '../support/random-sqlite-schema.js'
import { runScript } from '../support/run-script.js'

const sqlite = getDialect('sqlite')
/** The issue asks for at least 200 random pairs per CI run. */
const RUNS = 250

describe('round trip on sqlite', () => {
  it(`diff(A, B) applied to A gives B, and its reverse gives A back (${RUNS} pairs)`, async () => {
    await fc.assert(
      fc.asyncProperty(sqliteSchemaPairArb, async ([specA, specB]) => {
        const [sqlA, sqlB] = [renderSqliteSchema(specA), renderSqliteSchema(specB)]
        const a = await schemaOf(sqlA)
        const b = await schemaOf(sqlB)
        const work = await openDatabase('sqlite::memory:')
        try {
          await work.exec(sqlA)
          const plan = sqlite.plan(diff(a, b).changes, safePolicy, { from: a, to: b })
          await explained(`A:\n${sqlA}\nB:\n${sqlB}\nplan:\n${plan.steps.map((s) => s.sql).join(';\n')}`, async () => {
            await applyPlan(work, plan)
            expect(diff(await sqlite.introspect(work), b).changes).toEqual([])
            expect(await work.query('PRAGMA foreign_key_check')).toEqual([])
            const reverse = reversePlan(plan)
            if (!('sql' in reverse)) throw new Error(`plan is not reversible: ${reverse.irreversible.join('; ')}`)
            await runScript(work, reverse.sql)
            expect(diff(await sqlite.introspect(work), a).changes).toEqual([])
          })
        } finally {
          await work.close()
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    )
  }, 120_000)
})

/** The schema of SQL text, as SQLite reads it back. */
async function schemaOf(sql: string): Promise<Schema> {
  const conn: Connection = await openDatabase('sqlite::memory:')
  try {
    await conn.exec(sql)
    return await sqlite.introspect(conn)
  } finally {
    await conn.close()
  }
}

/** Runs `fn`; a failure's message gains the pair and the plan, so that it reads as SQL. */
async function explained(context: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof Error) error.message += `\n---\n${context}`
    throw error
  }
}
