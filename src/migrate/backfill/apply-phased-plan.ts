import type { Connection } from '../../db/connection.js'
import type { Plan, Step } from '../../plan/step.js'
import { type ApplyOptions, applyFailed, applyPlan, stepFailure } from '../../source/apply-plan.js'
import { withLockRetries } from '../lock-retry.js'
import { StatementFailure } from '../prepare-statements.js'
import { DEFAULT_BATCH_PAUSE_MS, DEFAULT_BATCH_SIZE } from './run-backfill.js'
import { estimate, type WalkState, walkBatches } from './walk-batches.js'

/** Where a backfill step of a pushed plan stands, after each batch. */
export interface PlanBackfillProgress extends WalkState {
  readonly step: Step
  /** The planner's row estimate of the table (pg_class.reltuples), for an ETA; undefined when unknown. */
  readonly estimatedRows: number | undefined
  readonly elapsedMs: number
  readonly done: boolean
}

export interface PhasedApplyOptions extends ApplyOptions {
  /** A batch of a backfill step committed. */
  readonly onBatch?: (progress: PlanBackfillProgress) => void
}

/**
 * Applies a plan of expand/backfill/contract phases straight to a database, as `keel push` does: the
 * steps as applyPlan runs them, except that a backfill step walks its table in key ranges, each batch its
 * own transaction, as `keel migrate` runs a backfill migration (without a journal: a push that stops is
 * pushed again, and the backfill's own WHERE skips the rows already done). Under a lock budget
 * (`options.locks`) a batch that gave up waiting for a lock is retried as every other step is. `options.signal`
 * stops it between transactions, and in a backfill between batches (error[INTERRUPTED] from walkBatches).
 */
export async function applyPhasedPlan(conn: Connection, plan: Plan, options: PhasedApplyOptions = {}): Promise<void> {
  const { onStep, onBatch, locks } = options
  let segment: Step[] = []
  let done = 0
  const total = plan.steps.length
  const flush = async () => {
    const offset = done
    if (segment.length > 0)
      await applyPlan(
        conn,
        { ...plan, steps: segment },
        { ...options, onStep: (step, i) => onStep?.(step, offset + i, total) },
      )
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
    const index = done
    const started = performance.now()
    const walked = { schema: table.schema, name: table.name }
    const estimatedRows = onBatch === undefined ? undefined : await estimate(conn, walked)
    const walk = walkBatches({
      conn,
      sql: step.sql,
      table: walked,
      size: DEFAULT_BATCH_SIZE,
      pauseMs: DEFAULT_BATCH_PAUSE_MS,
      from: { lastKey: null, rows: 0, batches: 0 },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(locks === undefined
        ? {}
        : {
            retry: <T>(batch: () => Promise<T>) =>
              withLockRetries({ ...locks, conn, events: locks }, () =>
                batch().catch(async (error: unknown) => {
                  throw error instanceof StatementFailure ? error : await stepFailure(conn, step, index, error)
                }),
              ),
          }),
      onBatch: (state, last) =>
        onBatch?.({ ...state, step, estimatedRows, elapsedMs: performance.now() - started, done: last }),
    })
    await walk.catch(async (error: unknown) => {
      if (!(error instanceof StatementFailure)) throw error
      throw await applyFailed(conn, step, index, index, error.cause, error)
    })
    done++
  }
  await flush()
}
