import type { Connection } from '../../db/connection.js'
import type { BackfillHooks, BackfillTable } from '../../dialect/runner.js'
import { runtimeOf } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import { sleep } from '../lock.js'
import { splitWhere } from './split-where.js'

export type { BackfillTable } from '../../dialect/runner.js'

/** How far a walk over a table's key has come: the last key of the last committed batch, and counts. */
export interface WalkState {
  readonly lastKey: readonly string[] | null
  readonly rows: number
  readonly batches: number
}

export interface Walk {
  readonly conn: Connection
  /** The UPDATE (one table, no FROM, WITH or RETURNING). */
  readonly sql: string
  readonly table: BackfillTable
  readonly size: number
  readonly pauseMs: number
  readonly from: WalkState
  /**
   * Persists the state inside the batch's transaction, so that both commit or neither. `last`: this batch
   * ends the walk, so what is saved must say the walk is over (the last range has no upper bound, so its
   * state keeps the previous last key: saved as progress, a resume would run that range a second time).
   */
  readonly save?: (state: WalkState, last: boolean) => Promise<void>
  /** Runs one batch, retrying it as the caller sees fit (after a lock timeout, say). */
  readonly retry?: <T>(batch: () => Promise<T>) => Promise<T>
  readonly onBatch?: (state: WalkState, last: boolean) => void
}

/**
 * Runs an UPDATE over a table in ranges of its key, `size` rows each, every range in its own short
 * transaction (with `save`), `pauseMs` apart: no batch holds its row locks for longer than its own rows
 * take, and a walk stopped at any point goes on from `from`. The last range has no upper bound, so rows
 * added meanwhile past the last key are covered too.
 */
export async function walkBatches(walk: Walk): Promise<WalkState> {
  const key = await backfillHooks(walk.conn).usableKey(walk.conn, walk.table)
  const sql = batchSql(walk.sql, walk.table, key, runtimeOf(walk.conn.dialect).quoteIdent)
  const retry = walk.retry ?? ((batch) => batch())
  let state = walk.from
  for (;;) {
    const current = state
    const next = await retry(() => walk.conn.transaction(() => runBatch(walk, sql, current)))
    state = next.state
    walk.onBatch?.(state, next.last)
    if (next.last) return state
    if (walk.pauseMs > 0) await sleep(walk.pauseMs)
  }
}

/**
 * The batch's UPDATE: the statement's own WHERE, and the key range `($1..) < key <= ($n..)`, names quoted with
 * `quote`, the connection's dialect's one quoter.
 */
function batchSql(sql: string, table: BackfillTable, key: readonly string[], quote: (name: string) => string) {
  const { head, where } = splitWhere(sql)
  const cols = `(${key.map(quote).join(', ')})`
  const params = (from: number) => `(${key.map((_, i) => `$${from + i}`).join(', ')})`
  const own = where === undefined ? 'true' : `(${where}\n)`
  const relation = displayTable(table, quote)
  return {
    key,
    /**
     * The upper bound of the next batch: the key `size` rows on, or none (the last batch). When there is one, the
     * batch's transaction commits without waiting for its WAL to reach the disk (synchronous_commit off, for this
     * transaction only): PostgreSQL releases a transaction's row locks only after its commit's flush, so a writer
     * waiting for a row of the batch would otherwise also wait out a flush that a checkpoint can make last hundreds of
     * milliseconds (measured: the slowest batches at 4M rows were slow in COMMIT, waiting on WALWrite). Nothing is
     * lost: the rows and the progress commit together, so a server crash that loses the commit loses both and the
     * walk does that range again; the next synchronous commit (the last batch's, which records the statement as
     * done) makes all of them durable. set_config runs only when the query returns the bound (outside the subquery:
     * in its select list it would run for the rows OFFSET skips too).
     */
    bound: (after: boolean) =>
      `SELECT b.*, set_config('synchronous_commit', 'off', true) AS async FROM (SELECT ${key.map((k, i) => `${quote(k)}::text AS k${i}`).join(', ')} FROM ${relation}${after ? ` WHERE ${cols} > ${params(1)}` : ''} ORDER BY ${key.map(quote).join(', ')} LIMIT 1 OFFSET $${after ? key.length + 1 : 1}) AS b`,
    update: (after: boolean, upTo: boolean) => {
      const range = [
        ...(after ? [`${cols} > ${params(1)}`] : []),
        ...(upTo ? [`${cols} <= ${params(after ? key.length + 1 : 1)}`] : []),
      ]
      return `WITH keel_batch AS (${head}\nWHERE ${[own, ...range].join(' AND ')}\nRETURNING 1) SELECT count(*)::int AS n FROM keel_batch`
    },
  }
}

/** One batch, inside the walk's transaction: the range's upper bound, the UPDATE, the saved state. */
async function runBatch(
  walk: Walk,
  sql: ReturnType<typeof batchSql>,
  state: WalkState,
): Promise<{ readonly state: WalkState; readonly last: boolean }> {
  const after = state.lastKey !== null
  const lower = state.lastKey ?? []
  const [row] = await walk.conn.query<Record<string, string>>(sql.bound(after), [...lower, walk.size - 1])
  const upper = row === undefined ? undefined : sql.key.map((_, i) => row[`k${i}`] as string)
  const [count] = await walk.conn.query<{ n: number }>(sql.update(after, upper !== undefined), [
    ...lower,
    ...(upper ?? []),
  ])
  const next: WalkState = {
    lastKey: upper ?? state.lastKey,
    rows: state.rows + Number(count?.n ?? 0),
    batches: state.batches + 1,
  }
  await walk.save?.(next, upper === undefined)
  return { state: next, last: upper === undefined }
}

/** The table's row estimate, for an ETA, or undefined when the server has none. */
export async function estimate(conn: Connection, table: BackfillTable): Promise<number | undefined> {
  return backfillHooks(conn).estimate(conn, table)
}

/** The dialect's catalog half of a batched backfill; a dialect without one cannot walk a table by its key. */
function backfillHooks(conn: Connection): BackfillHooks {
  const hooks = runtimeOf(conn.dialect).runner.backfill
  if (hooks === undefined) {
    throw new KeelError(
      'UNSUPPORTED',
      `a batched backfill is not supported on ${conn.dialect}: Keel cannot find the key to walk a table by`,
    )
  }
  return hooks
}

/** `schema.table` as the statement named it, quoted with `q`. */
export function displayTable(table: BackfillTable, q: (s: string) => string = (s) => s): string {
  return table.schema === undefined ? q(table.name) : `${q(table.schema)}.${q(table.name)}`
}
