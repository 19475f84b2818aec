/**
 * The property-based round trip on MariaDB: for random schema pairs (A, B) written as MySQL SQL (see
 * random-mysql-schema.ts), Keel's plan for diff(A, B) applied to a database holding A gives a database with no
 * difference from B. Every ALTER the plan emits names the ALGORITHM (and LOCK) it claims; MariaDB refuses an
 * ALGORITHM it cannot honour ("ALGORITHM=INSTANT is not supported"), so a plan that applies proves its claims.
 * DDL costs the server ~60 ms a statement, so pairs run several at a time, each in its own databases.
 * KEEL_MYSQL_PAIRS sets the count (default 60, ~25 s on a quiet machine; 220 pairs passed in 160 s on a loaded one; the full run is 200+).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createScratchDatabase } from '../../src/db/scratch.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { safePolicy } from '../../src/plan/policy.js'
import type { Schema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { MYSQL_URL } from '../support/databases.js'
import { mysqlSchemaPairArb, renderMysqlSchema } from '../support/random-mysql-schema.js'
import { runScript } from '../support/run-script.js'

const mysql = getDialect('mysql')
const PAIRS = Number(process.env.KEEL_MYSQL_PAIRS ?? 60)
const PARALLEL = 4
const SEED = Number(process.env.KEEL_MYSQL_SEED ?? 20261205)

describe('round trip on mariadb', () => {
  it(`diff(A, B) applied to A gives B, with the ALGORITHM the plan claims (${PAIRS} pairs)`, async () => {
    const pairs = fc.sample(mysqlSchemaPairArb, { numRuns: PAIRS, seed: SEED })
    const failures: string[] = []
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < pairs.length) {
        const i = next++
        const [specA, specB] = pairs[i] as (typeof pairs)[number]
        const failure = await roundTrip(renderMysqlSchema(specA), renderMysqlSchema(specB))
        if (failure !== undefined) failures.push(`pair ${i}: ${failure}`)
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker))
    expect(failures.slice(0, 3).join('\n=====\n')).toBe('')
  }, 300_000)
})

async function roundTrip(sqlA: string, sqlB: string): Promise<string | undefined> {
  const work = await createScratchDatabase(MYSQL_URL, 'keel_rt')
  let planText = ''
  try {
    const b = await schemaOf(sqlB)
    await runScript(work.conn, [sqlA])
    const a = await mysql.introspect(work.conn)
    const plan = mysql.plan(diff(a, b).changes, safePolicy, { from: a, to: b })
    planText = plan.steps.map((s) => s.sql).join(';\n')
    await applyPlan(work.conn, plan)
    const left = diff(await mysql.introspect(work.conn), b).changes
    if (left.length > 0) throw new Error(`drift after apply: ${JSON.stringify(left).slice(0, 800)}`)
    return undefined
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}\n---\nA:\n${sqlA}\nB:\n${sqlB}\nplan:\n${planText}`
  } finally {
    await work.dispose()
  }
}

async function schemaOf(sql: string): Promise<Schema> {
  const db = await createScratchDatabase(MYSQL_URL, 'keel_rt')
  try {
    await runScript(db.conn, [sql])
    return await mysql.introspect(db.conn)
  } finally {
    await db.dispose()
  }
}
