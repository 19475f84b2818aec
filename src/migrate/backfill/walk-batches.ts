import type { Connection } from '../../db/connection.js'
import type { DialectRuntime } from '../../dialect/dialect.js'
import type { BackfillHooks, BackfillTable } from '../../dialect/runner.js'
import { runtimeOf } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import { sleep } from '../lock.js'
import { batchSettings } from './batch-settings.js'
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
  /** Persists the walk's state inside each batch's transaction, so that both commit or neither. */
  readonly save?: WalkSave
  /** Runs one batch, retrying it as the caller sees fit (after a lock timeout, say). */
  readonly retry?: <T>(batch: () => Promise<T>) => Promise<T>
  readonly onBatch?: (state: WalkState, last: boolean) => void
  /**
   * Asks the walk to stop (`keel migrate`'s first Ctrl-C): checked between batches, so that the batch running
   * commits with its progress and the walk then ends with error[INTERRUPTED]; a later run goes on from there.
   */
  readonly signal?: AbortSignal
}

/** How a walk's state is kept (the journal row of `keel migrate`). */
export interface WalkSave {
  /**
   * A batch but the last: a data-modifying statement (an UPDATE) that saves `state`. It runs inside the batch's own
   * statement, so the batch's rows and its progress commit together in the batch's one round trip; `rows` is
   * therefore SQL (the batch's count is known only there).
   */
  readonly progressSql: (state: {
    readonly lastKey: readonly string[]
    readonly rows: string
    readonly batches: number
  }) => string
  /**
   * The last batch, in its transaction after its UPDATE: what is saved must say the walk is over (the last range
   * has no upper bound, so its state keeps the previous last key: saved as progress, a resume would run that
   * range a second time).
   */
  readonly last: (state: WalkState) => Promise<void>
}

/**
 * Runs an UPDATE over a table in ranges of its key, `size` rows each, every range in its own short
 * transaction (with `save`), `pauseMs` apart: no batch holds its row locks for longer than its own rows
 * take, and a walk stopped at any point goes on from `from`. The last range has no upper bound, so rows
 * added meanwhile past the last key are covered too.
 *
 * A batch but the last is one message to the server (see runBatch): its range's upper bound was found by the
 * batch before (the first one's by a read of its own), and it finds the next one's.
 */
export async function walkBatches(walk: Walk): Promise<WalkState> {
  const key = await backfillHooks(walk.conn).usableKey(walk.conn, walk.table)
  const sql = batchSql(walk.sql, walk.table, key, walk.size, runtimeOf(walk.conn.dialect))
  const retry = walk.retry ?? ((batch) => batch())
  const settings = await batchSettings(walk.conn)
  let state = walk.from
  // A read, but one that waits behind a DDL's lock like any statement: retried as a batch is.
  let upper = await retry(() => firstBound(walk.conn, sql, state.lastKey))
  for (;;) {
    if (walk.signal?.aborted === true) throw stopped(walk.table, state)
    const current = state
    const bound = upper
    const next = await retry(() => runBatch(walk, sql, settings, current, bound))
    state = next.state
    upper = next.upper
    walk.onBatch?.(state, bound === undefined)
    if (bound === undefined) return state
    if (walk.pauseMs > 0) await sleep(walk.pauseMs)
  }
}

function stopped(table: BackfillTable, state: WalkState): KeelError {
  return new KeelError(
    'INTERRUPTED',
    `stopped by Ctrl-C in the backfill of ${displayTable(table)} after ${state.rows} rows (${state.batches} batches committed with their progress)`,
    '`keel migrate` goes on with the backfill from the batch after the last one committed; the migrations before it stay applied.',
  )
}

/**
 * A range's upper bound: the key `size` rows past `after` (or from the start), as text; undefined when fewer rows
 * are left (the range is the last).
 */
async function firstBound(
  conn: Connection,
  sql: ReturnType<typeof batchSql>,
  after: readonly string[] | null,
): Promise<readonly string[] | undefined> {
  const [row] = await conn.query<Record<string, string>>(sql.bound(after))
  return row === undefined ? undefined : sql.keyOf(row)
}

/**
 * The statements of a batch, with its keys as literals (one simple-protocol message takes no parameters; an untyped
 * literal takes the key column's type as an untyped parameter did): the statement's own WHERE, and the key range
 * `lower < key <= upper` (no lower bound on the first range, no upper bound on the last). Names are quoted with
 * `quote`, keys with `literal`: the connection's dialect's own quoters.
 */
function batchSql(
  sql: string,
  table: BackfillTable,
  key: readonly string[],
  size: number,
  { quoteIdent: quote, quoteLiteral: literal }: Pick<DialectRuntime, 'quoteIdent' | 'quoteLiteral'>,
) {
  const { head, where } = splitWhere(sql)
  const cols = `(${key.map(quote).join(', ')})`
  const own = where === undefined ? 'true' : `(${where}\n)`
  const relation = displayTable(table, quote)
  const values = (keys: readonly string[]) => `(${keys.map(literal).join(', ')})`
  /** The key `size` rows past `after` (from the start when null), as text columns k0, k1, ... */
  const bound = (after: readonly string[] | null) =>
    `SELECT ${key.map((k, i) => `${quote(k)}::text AS k${i}`).join(', ')} FROM ${relation}${after === null ? '' : ` WHERE ${cols} > ${values(after)}`} ORDER BY ${key.map(quote).join(', ')} LIMIT 1 OFFSET ${size - 1}`
  return {
    keyOf: (row: Record<string, string>) => key.map((_, i) => row[`k${i}`] as string),
    bound,
    /**
     * The batch's UPDATE as one statement, answering `n` (rows updated). `progress` (a data-modifying statement,
     * given the rows done as SQL) runs in it, so that it commits with the batch's rows. The next range's bound is a
     * statement of its own (`bound`), outside this one's WITH: there a table named like one of its CTEs would be
     * read as the CTE.
     */
    update: (
      lower: readonly string[] | null,
      upper: readonly string[] | undefined,
      progress?: (rows: string) => string,
    ) => {
      const range = [
        ...(lower === null ? [] : [`${cols} > ${values(lower)}`]),
        ...(upper === undefined ? [] : [`${cols} <= ${values(upper)}`]),
      ]
      const ctes = [
        `keel_batch AS (${head}\nWHERE ${[own, ...range].join(' AND ')}\nRETURNING 1)`,
        'keel_count AS (SELECT count(*)::int AS n FROM keel_batch)',
        ...(progress === undefined ? [] : [`keel_progress AS (${progress('(SELECT n FROM keel_count)')})`]),
      ]
      return `WITH ${ctes.join(',\n')}\nSELECT n FROM keel_count`
    },
  }
}

/**
 * One batch. A batch but the last is one message, which the server runs as one transaction (a multi-statement
 * simple query; a driver that cannot send one runs the same statements in a transaction): its `settings` (`SET
 * LOCAL synchronous_commit = off` and the others of batchSettings), one statement that updates the range and saves
 * the progress, and the read of the next range's upper bound. Its row locks are held from the UPDATE to the commit, with no round trip in between for the
 * writers waiting on them to sit out.
 *
 * synchronous_commit off: PostgreSQL releases a transaction's row locks only after its commit's WAL flush, so a
 * writer waiting for a row of the batch would otherwise also wait out a flush that a checkpoint can make last
 * hundreds of milliseconds (measured: the slowest batches at 4M rows were slow in COMMIT, waiting on WALWrite).
 * Nothing is lost: the rows and the progress commit together, so a server crash that loses the commit loses both and
 * the walk does that range again; the last batch commits synchronously (it records the statement as done), which
 * makes all the earlier ones durable.
 */
async function runBatch(
  walk: Walk,
  sql: ReturnType<typeof batchSql>,
  settings: readonly string[],
  state: WalkState,
  upper: readonly string[] | undefined,
): Promise<{ readonly state: WalkState; readonly upper: readonly string[] | undefined }> {
  const counted = (n: unknown): WalkState => ({
    lastKey: upper ?? state.lastKey,
    rows: state.rows + Number(n ?? 0),
    batches: state.batches + 1,
  })
  const { conn, save } = walk
  if (upper === undefined) {
    const last = sql.update(state.lastKey, undefined)
    if (save === undefined) {
      const [row] = await conn.query<{ n: number }>(last)
      return { state: counted(row?.n), upper: undefined }
    }
    return conn.transaction(async () => {
      const [row] = await conn.query<{ n: number }>(last)
      const next = counted(row?.n)
      await save.last(next)
      return { state: next, upper: undefined }
    })
  }
  const batches = state.batches + 1
  const progress =
    save === undefined
      ? undefined
      : (rows: string) => save.progressSql({ lastKey: upper, rows: `${state.rows} + ${rows}`, batches })
  const statements = [...settings, sql.update(state.lastKey, upper, progress), sql.bound(upper)]
  const results =
    conn.queryBatch === undefined
      ? await conn.transaction(async () => {
          const each: (readonly Record<string, unknown>[])[] = []
          for (const statement of statements) each.push(await conn.query(statement))
          return each
        })
      : await conn.queryBatch(statements)
  const count = results.at(-2)?.[0] as { n: number } | undefined
  const bound = results.at(-1)?.[0] as Record<string, string> | undefined
  return { state: counted(count?.n), upper: bound === undefined ? undefined : sql.keyOf(bound) }
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
