import type { Connection } from '../db/connection.js'
import { sqlErrorAt } from '../db/sql-error.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import type { Plan, Step } from '../plan/step.js'

/** Progress callback: called before each step runs. */
export type StepProgress = (step: Step, index: number, total: number) => void

/**
 * Locks one step is taken to hold until its transaction ends. A CREATE TABLE takes about five (the table, its TOAST
 * table and index, its key's index, an identity's sequence), most other steps one or two; eight leaves room.
 */
export const LOCKS_PER_STEP = 8

/**
 * Applies a plan to a database: consecutive transactional steps run in one transaction each group,
 * and a step PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY, ...) runs alone
 * between groups. A group that would take more locks than the server can spare (a plan of thousands of tables:
 * "out of shared memory") is split into several transactions, in order. A failure rolls back its group and names
 * the step, and says which steps were committed before it.
 */
export async function applyPlan(conn: Connection, plan: Plan, onStep?: StepProgress): Promise<void> {
  const groups = await withinLockBudget(conn, groupSteps(plan.steps))
  let index = 0
  for (const group of groups) {
    const run = async (tx: Connection) => {
      for (const step of group) {
        onStep?.(step, index, plan.steps.length)
        try {
          await tx.exec(step.sql)
        } catch (error) {
          const cause = sqlErrorAt(error, step.sql, { file: `step ${index + 1} (${step.comment})` })
          // Groups before this one are committed: say so, rather than the default "nothing was committed".
          const committed = index - group.indexOf(step)
          // The server's own hint, if any, says what to change ("increase max_locks_per_transaction").
          const server = serverHint(error)
          const hint =
            committed > 0
              ? `Steps 1 to ${committed} were committed before this one failed; fix the cause and run the command again (the next plan starts from there).${server ? ` ${server}` : ''}`
              : server && `Nothing was committed. ${server}`
          throw new KeelError('APPLY_FAILED', `${cause.message}\n  statement: ${step.sql}`, hint, { cause: error })
        }
        index++
      }
    }
    if (group[0]?.transactional) await conn.transaction(run)
    else await run(conn)
  }
}

/**
 * The groups, with every transactional group longer than the server's lock budget allows cut into runs that fit.
 * A plan that could not exceed the smallest budget a server has (max_locks_per_transaction is at least 10) asks the
 * server nothing.
 */
async function withinLockBudget(
  conn: Connection,
  groups: readonly (readonly Step[])[],
): Promise<readonly (readonly Step[])[]> {
  const longest = Math.max(0, ...groups.filter((group) => group[0]?.transactional).map((group) => group.length))
  if (longest * LOCKS_PER_STEP <= 10) return groups
  const budget = await runtimeOf(conn.dialect).transactionLockBudget?.(conn)
  if (budget === undefined) return groups
  return splitLongGroups(groups, Math.max(1, Math.floor(budget / LOCKS_PER_STEP)))
}

/** Cuts each transactional group into runs of at most `maxSteps` steps, keeping order. */
export function splitLongGroups(groups: readonly (readonly Step[])[], maxSteps: number): readonly (readonly Step[])[] {
  return groups.flatMap((group) => {
    if (!group[0]?.transactional || group.length <= maxSteps) return [group]
    const runs: (readonly Step[])[] = []
    for (let start = 0; start < group.length; start += maxSteps) runs.push(group.slice(start, start + maxSteps))
    return runs
  })
}

/** Splits steps into runs of transactional steps and single non-transactional steps, keeping order. */
export function groupSteps(steps: readonly Step[]): readonly (readonly Step[])[] {
  const groups: Step[][] = []
  for (const step of steps) {
    const last = groups.at(-1)
    if (step.transactional && last?.[0]?.transactional) last.push(step)
    else groups.push([step])
  }
  return groups
}

function serverHint(error: unknown): string | undefined {
  const hint = (error as { hint?: unknown } | undefined)?.hint
  return typeof hint === 'string' && hint !== '' ? hint : undefined
}
