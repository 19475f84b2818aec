import { runtimeOf } from '../../dialect/runtimes.js'
import type { ApplyContext } from '../apply-migration.js'
import type { Migration } from '../directory.js'
import type { JournalWrite } from '../journal.js'
import { withLockRetries } from '../lock-retry.js'
import { type PreparedStatement, StatementFailure } from '../prepare-statements.js'
import type { SessionSetup } from '../session-setup.js'
import type { BackfillTable } from './walk-batches.js'
import { displayTable, estimate, type WalkState, walkBatches } from './walk-batches.js'

/** Defaults of `-- keel:batch-size` and `-- keel:batch-pause`. */
export const DEFAULT_BATCH_SIZE = 1000
export const DEFAULT_BATCH_PAUSE_MS = 0

/** Where a backfill stands; reported after each batch (the CLI draws a progress line from it). */
export interface BackfillProgress {
  /** The migration (`keel migrate`), or undefined for a step of a pushed plan (`keel push`, see `step`). */
  readonly migration?: string
  /** The plan step (`keel push`): its 1-based number and comment. */
  readonly step?: string
  readonly table: string
  readonly rows: number
  readonly batches: number
  /** The planner's row estimate of the table (pg_class.reltuples), for an ETA; undefined when unknown. */
  readonly estimatedRows: number | undefined
  readonly elapsedMs: number
  readonly done: boolean
}

/** What the journal row keeps of a backfill in progress (column `backfill_progress`). */
interface Saved extends WalkState {
  readonly statement: number
}

/**
 * The table an UPDATE of a backfill phase walks, or undefined for a statement the runner runs as written:
 * only a plain UPDATE of one table (no FROM, WITH or RETURNING) is cut into batches.
 */
export function backfillTable(statement: Pick<PreparedStatement, 'node'>): BackfillTable | undefined {
  const { node } = statement
  if (!('UpdateStmt' in node)) return undefined
  const update = node.UpdateStmt
  // RETURNING is returningList in the parse trees of PostgreSQL 17 and before, returningClause after.
  const returning = (update as { returningList?: unknown[] }).returningList ?? update.returningClause
  if ((update.fromClause ?? []).length > 0 || returning !== undefined || update.withClause) return undefined
  const relation = update.relation
  if (relation?.relname === undefined || relation.inh === false) return undefined
  return { schema: relation.schemaname, name: relation.relname }
}

/**
 * Runs a backfill UPDATE in primary-key ranges, each batch in its own short transaction together with its
 * progress in the journal row (written by the batch's own statement, see walkBatches), so that a runner killed at
 * any point resumes after the last committed batch: no row is skipped, and a batch is never half-applied (a killed
 * batch rolls back with its progress). Rows that writers insert or change meanwhile are kept right by the expand
 * phase's trigger. Batches are `batchSize` rows apart, with `pauseMs` between them so that the server's other work
 * goes on. The last batch's transaction records the statement as completed and clears the progress.
 */
export async function runBackfill(
  ctx: ApplyContext,
  migration: Migration,
  statement: PreparedStatement,
  journal: { readonly rowExists: boolean; readonly completed: number; readonly entry: (done: boolean) => JournalWrite },
  setup: SessionSetup,
): Promise<void> {
  const started = performance.now()
  const table = backfillTable(statement) as BackfillTable
  await setup.apply()
  await ctx.conn.exec(`ALTER TABLE ${ctx.journal.table} ADD COLUMN IF NOT EXISTS backfill_progress jsonb`)
  if (!journal.rowExists) await ctx.journal.insert(journal.entry(false))
  const saved = await readSaved(ctx, migration, journal.completed)
  const estimatedRows = await estimate(ctx.conn, table)
  const literal = runtimeOf(ctx.conn.dialect).quoteLiteral
  await walkBatches({
    conn: ctx.conn,
    sql: statement.sql,
    table,
    size: migration.directives.batchSize ?? DEFAULT_BATCH_SIZE,
    pauseMs: migration.directives.batchPauseMs ?? DEFAULT_BATCH_PAUSE_MS,
    from: saved ?? { lastKey: null, rows: 0, batches: 0 },
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    save: {
      progressSql: ({ lastKey, rows, batches }) =>
        `UPDATE ${ctx.journal.table} SET backfill_progress = jsonb_build_object('statement', ${journal.completed}, 'lastKey', ${literal(JSON.stringify(lastKey))}::jsonb, 'rows', ${rows}, 'batches', ${batches}) WHERE version = ${literal(migration.version)}`,
      last: async () => {
        // The statement's completion commits with its last batch: a runner killed right after that batch
        // must not find progress that points before it (the last range would run twice).
        await ctx.conn.query(`UPDATE ${ctx.journal.table} SET backfill_progress = NULL WHERE version = $1`, [
          migration.version,
        ])
        await ctx.journal.update(journal.entry(true), journal.completed)
      },
    },
    retry: (batch) =>
      withLockRetries(ctx, () =>
        batch().catch((error: unknown) => {
          throw new StatementFailure(statement, error)
        }),
      ),
    onBatch: (state, last) =>
      ctx.events.onBackfill?.({
        migration: migration.id,
        table: displayTable(table),
        rows: state.rows,
        batches: state.batches,
        estimatedRows,
        elapsedMs: performance.now() - started,
        done: last,
      }),
  })
}

async function readSaved(ctx: ApplyContext, migration: Migration, statement: number): Promise<WalkState | undefined> {
  const [row] = await ctx.conn.query<{ progress: Saved | string | null }>(
    `SELECT backfill_progress AS progress FROM ${ctx.journal.table} WHERE version = $1`,
    [migration.version],
  )
  const progress = typeof row?.progress === 'string' ? (JSON.parse(row.progress) as Saved) : row?.progress
  if (progress?.statement !== statement) return undefined
  return { lastKey: progress.lastKey, rows: progress.rows, batches: progress.batches }
}
