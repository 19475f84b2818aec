import type { Connection } from '../db/connection.js'
import { sqlErrorAt } from '../db/sql-error.js'
import { KeelError } from '../errors.js'
import type { Plan, Step } from '../plan/step.js'

/** Progress callback: called before each step runs. */
export type StepProgress = (step: Step, index: number, total: number) => void

/**
 * Applies a plan to a database: consecutive transactional steps run in one transaction each group,
 * and a step PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY, ...) runs alone
 * between groups. A failure rolls back its group and names the step.
 */
export async function applyPlan(conn: Connection, plan: Plan, onStep?: StepProgress): Promise<void> {
  const groups = groupSteps(plan.steps)
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
          const hint =
            committed > 0
              ? `Steps 1 to ${committed} were committed before this one failed; fix the cause and run the command again (the next plan starts from there).`
              : undefined
          throw new KeelError('APPLY_FAILED', `${cause.message}\n  statement: ${step.sql}`, hint, { cause: error })
        }
        index++
      }
    }
    if (group[0]?.transactional) await conn.transaction(run)
    else await run(conn)
  }
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
