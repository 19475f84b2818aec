/**
 * The check the partition tests share: make `goal` in one database and `start` (statements run in order; none: from
 * empty) in another, plan the difference (under the safe policy unless told) and apply it once. The second database then has no
 * difference from the first, on PostgreSQL the same pg_dump, and (with `rows`) the same answer to a query that counts
 * what the start held. The databases are new, or emptied ones of the file's earlier cases when the file calls
 * reuseDatabasesInFile (ci-files-reused-databases.ts).
 */
import { expect } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { type Policy, safePolicy } from '../../src/plan/policy.js'
import type { Plan } from '../../src/plan/step.js'
import { emptySchema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { withReusedDatabase } from './ci-files-reused-databases.js'
import type { TestDialect } from './databases.js'
import { normalizePgDump, pgDumpSchema } from './pg-dump.js'

const dialect = getDialect('postgres')

export interface ConvergeOptions {
  /** A query whose answer the plan must not change (rows kept): run on the start before and after. */
  readonly rows?: string
  /** Checks the plan before it is applied (what it builds, what generate's lint says). */
  readonly plan?: (plan: Plan, start: Connection) => Promise<void> | void
  /** The policy the plan is made under: the safe one unless told. */
  readonly policy?: Policy
  /** Applies the plan (in parts, looking at the database in between): applyPlan whole unless told. */
  readonly apply?: (plan: Plan, start: Connection) => Promise<void>
}

export async function convergesOnce(
  name: TestDialect,
  goal: string,
  start: readonly string[] = [],
  options: ConvergeOptions = {},
): Promise<void> {
  await withReusedDatabase(name, async (original) => {
    await original.conn.exec(goal)
    const target = await dialect.introspect(original.conn)
    await withReusedDatabase(name, async (copy) => {
      for (const sql of start) await copy.conn.exec(sql)
      const from = start.length === 0 ? emptySchema : await dialect.introspect(copy.conn)
      const before = options.rows === undefined ? undefined : await copy.conn.query(options.rows)
      const plan = dialect.plan(diff(from, target, [], dialect).changes, options.policy ?? safePolicy)
      await options.plan?.(plan, copy.conn)
      await (options.apply === undefined ? applyPlan(copy.conn, plan) : options.apply(plan, copy.conn))
      expect(diff(await dialect.introspect(copy.conn), target, [], dialect).changes).toEqual([])
      if (name === 'postgres')
        expect(normalizePgDump(await pgDumpSchema(copy.url))).toEqual(normalizePgDump(await pgDumpSchema(original.url)))
      if (options.rows !== undefined) expect(await copy.conn.query(options.rows)).toEqual(before)
    })
  })
}
