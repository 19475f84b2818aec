import type { Connection } from '../../db/connection.js'
import type { Plan, Step } from '../../plan/step.js'
import { applyPlan, type StepProgress } from '../../source/apply-plan.js'
import { DEFAULT_BATCH_PAUSE_MS, DEFAULT_BATCH_SIZE } from './run-backfill.js'
import { type WalkState, walkBatches } from './walk-batches.js'

/**
 * Applies a plan of expand/backfill/contract phases straight to a database, as `keel push` does: the
 * steps as applyPlan runs them, except that a backfill step walks its table in key ranges, each batch its
 * own transaction, as `keel migrate` runs a backfill migration (without a journal: a push that stops is
 * pushed again, and the backfill's own WHERE skips the rows already done).
 */
export async function applyPhasedPlan(
  conn: Connection,
  plan: Plan,
  onStep?: StepProgress,
  onBatch?: (step: Step, state: WalkState, last: boolean) => void,
): Promise<void> {
  let segment: Step[] = []
  let done = 0
  const total = plan.steps.length
  const flush = async () => {
    const offset = done
    if (segment.length > 0)
      await applyPlan(conn, { ...plan, steps: segment }, (step, i) => onStep?.(step, offset + i, total))
    done += segment.length
    segment = []
  }
  for (const step of plan.steps) {
    const [table] = step.lock.on
    if (step.phase !== 'backfill' || table === undefined || step.lock.on.length !== 1) {
      segment.push(step)
      continue
    }
    await flush()
    onStep?.(step, done, total)
    await walkBatches({
      conn,
      sql: step.sql,
      table: { schema: table.schema, name: table.name },
      size: DEFAULT_BATCH_SIZE,
      pauseMs: DEFAULT_BATCH_PAUSE_MS,
      from: { lastKey: null, rows: 0, batches: 0 },
      onBatch: (state, last) => onBatch?.(step, state, last),
    })
    done++
  }
  await flush()
}
