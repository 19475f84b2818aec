import type { ApplyContext } from '../apply-migration.js'
import type { Migration } from '../directory.js'
import type { JournalWrite } from '../journal.js'
import { sleep } from '../lock.js'
import { lockRetryNotice, type PreparedStatement, StatementFailure, withLockRetries } from '../prepare-statements.js'
import type { SessionSetup } from '../session-setup.js'
import { splitWhere } from './split-where.js'
import { type BackfillTable, usableKey } from './table-key.js'

/** Defaults of `-- keel:batch-size` and `-- keel:batch-pause`. */
export const DEFAULT_BATCH_SIZE = 1000
export const DEFAULT_BATCH_PAUSE_MS = 0

/** Where a backfill stands; reported after each batch (the CLI draws a progress line from it). */
export interface BackfillProgress {
  readonly migration: string
  readonly table: string
  readonly rows: number
  readonly batches: number
  /** The planner's row estimate of the table (pg_class.reltuples), for an ETA; undefined when unknown. */
  readonly estimatedRows: number | undefined
  readonly elapsedMs: number
  readonly done: boolean
}

/** What the journal row keeps of a backfill in progress (column `backfill_progress`). */
interface Saved {
  readonly statement: number
  readonly lastKey: readonly string[] | null
  readonly rows: number
  readonly batches: number
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
 * progress in the journal row, so that a runner killed at any point resumes after the last committed batch:
 * no row is skipped, and a batch is never half-applied (a killed batch rolls back with its progress). Rows
 * that writers insert or change meanwhile are kept right by the expand phase's trigger. Batches are
 * `batchSize` rows apart, with `pauseMs` between them so that the server's other work goes on. When the
 * statement is done, the journal records it as completed, in the same transaction that clears the progress.
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
  const key = await usableKey(ctx.conn, table)
  const saved = await readSaved(ctx, migration, journal.completed)
  let state: Saved = saved ?? { statement: journal.completed, lastKey: null, rows: 0, batches: 0 }
  const estimatedRows = await estimate(ctx, table)
  const sizes = {
    size: migration.directives.batchSize ?? DEFAULT_BATCH_SIZE,
    pause: migration.directives.batchPauseMs ?? DEFAULT_BATCH_PAUSE_MS,
  }
  const sql = batchSql(statement.sql, table, key)
  for (;;) {
    const next = await withLockRetries(
      ctx.lockRetries,
      () => runBatch(ctx, migration, statement, sql, state, sizes.size),
      (failure, attempt, delay) => ctx.events.onNotice?.(lockRetryNotice(failure, attempt, delay, ctx.lockRetries)),
    )
    state = next.state
    ctx.events.onBackfill?.({
      migration: migration.id,
      table: display(table),
      rows: state.rows,
      batches: state.batches,
      estimatedRows,
      elapsedMs: performance.now() - started,
      done: next.last,
    })
    if (next.last) break
    if (sizes.pause > 0) await sleep(sizes.pause)
  }
  await ctx.conn.transaction(async () => {
    await ctx.conn.query(`UPDATE ${ctx.journal.table} SET backfill_progress = NULL WHERE version = $1`, [
      migration.version,
    ])
    await ctx.journal.update(journal.entry(true), journal.completed)
  })
}

/** The batch's UPDATE: the statement's own WHERE, and the key range `($1..) < key <= ($n..)`. */
function batchSql(sql: string, table: BackfillTable, key: readonly string[]) {
  const { head, where } = splitWhere(sql)
  const cols = `(${key.map(quote).join(', ')})`
  const params = (from: number) => `(${key.map((_, i) => `$${from + i}`).join(', ')})`
  const own = where === undefined ? 'true' : `(${where}\n)`
  const relation = display(table, quote)
  return {
    key,
    /** The upper bound of the next batch: the key `size` rows on, or none (the last batch). */
    bound: (after: boolean) =>
      `SELECT ${key.map((k, i) => `${quote(k)}::text AS k${i}`).join(', ')} FROM ${relation}${after ? ` WHERE ${cols} > ${params(1)}` : ''} ORDER BY ${key.map(quote).join(', ')} LIMIT 1 OFFSET $${after ? key.length + 1 : 1}`,
    update: (after: boolean, upTo: boolean) => {
      const range = [
        ...(after ? [`${cols} > ${params(1)}`] : []),
        ...(upTo ? [`${cols} <= ${params(after ? key.length + 1 : 1)}`] : []),
      ]
      return `WITH keel_batch AS (${head}\nWHERE ${[own, ...range].join(' AND ')}\nRETURNING 1) SELECT count(*)::int AS n FROM keel_batch`
    },
  }
}

async function runBatch(
  ctx: ApplyContext,
  migration: Migration,
  statement: PreparedStatement,
  sql: ReturnType<typeof batchSql>,
  state: Saved,
  size: number,
): Promise<{ readonly state: Saved; readonly last: boolean }> {
  try {
    return await ctx.conn.transaction(async () => {
      const after = state.lastKey !== null
      const lower = state.lastKey ?? []
      const [row] = await ctx.conn.query<Record<string, string>>(sql.bound(after), [...lower, size - 1])
      const upper = row === undefined ? undefined : sql.key.map((_, i) => row[`k${i}`] as string)
      const [count] = await ctx.conn.query<{ n: number }>(sql.update(after, upper !== undefined), [
        ...lower,
        ...(upper ?? []),
      ])
      const next: Saved = {
        statement: state.statement,
        lastKey: upper ?? state.lastKey,
        rows: state.rows + Number(count?.n ?? 0),
        batches: state.batches + 1,
      }
      await ctx.conn.query(`UPDATE ${ctx.journal.table} SET backfill_progress = $1::jsonb WHERE version = $2`, [
        JSON.stringify(next),
        migration.version,
      ])
      return { state: next, last: upper === undefined }
    })
  } catch (error) {
    throw new StatementFailure(statement, error)
  }
}

async function readSaved(ctx: ApplyContext, migration: Migration, statement: number): Promise<Saved | undefined> {
  const [row] = await ctx.conn.query<{ progress: Saved | string | null }>(
    `SELECT backfill_progress AS progress FROM ${ctx.journal.table} WHERE version = $1`,
    [migration.version],
  )
  const progress = typeof row?.progress === 'string' ? (JSON.parse(row.progress) as Saved) : row?.progress
  return progress?.statement === statement ? progress : undefined
}

async function estimate(ctx: ApplyContext, table: BackfillTable): Promise<number | undefined> {
  const [row] = await ctx.conn.query<{ n: number | null }>(
    `SELECT c.reltuples::float8 AS n FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
      WHERE c.relname = $1 AND s.nspname = coalesce($2, current_schema())`,
    [table.name, table.schema ?? null],
  )
  const n = Number(row?.n ?? -1)
  return n > 0 ? n : undefined
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function display(table: BackfillTable, q: (s: string) => string = (s) => s): string {
  return table.schema === undefined ? q(table.name) : `${q(table.schema)}.${q(table.name)}`
}
