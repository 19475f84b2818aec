import type { Connection } from '../../db/connection.js'
import { quoteLiteral } from './quote.js'

/** The parameters of a catalog query: `$1`, `$2`... each null or an array of text. */
export type CatalogParams = readonly (readonly string[] | null)[]

/** A catalog query, its parameters (`$1`, `$2`: null or arrays of text) and, as a phantom type, its row. */
export interface CatalogQuery<R> {
  readonly sql: string
  readonly params: CatalogParams
  /** Never set: carries the row type to `readCatalogQueries`' result. */
  readonly row?: R
}

/** A catalog query whose rows are `R`. */
export function catalogQuery<R>(sql: string, params: CatalogParams = []): CatalogQuery<R> {
  return { sql, params }
}

/** The rows of each query of a record of catalog queries. */
export type RowsOf<Q> = { readonly [K in keyof Q]: Q[K] extends CatalogQuery<infer R> ? readonly R[] : never }

/** The session's own values of the settings the catalog queries change, to be put back after them. */
export interface SessionSettings {
  readonly searchPath: string
  /** null where the server has no such setting. */
  readonly jit: string | null
}

/**
 * Reads the session's `SessionSettings`, the server's version (server_version_num) and how many relations were
 * created after initdb (OIDs from FirstNormalObjectId, 16384: tables, indexes, sequences, views...), which says
 * whether the catalog is large enough to read on two sessions.
 */
export const SESSION_SETTINGS_SQL = `select current_setting('search_path') as search_path,
  current_setting('jit', true) as jit, current_setting('server_version_num')::int as version,
  (select count(*) from pg_class where oid >= 16384)::int as relations`

/**
 * Runs catalog queries under the settings they need, then puts back the session's own (`previous`), and returns
 * each query's rows by its key. The settings:
 * - `search_path` is `public`, so that expressions and types print their names the same way whatever the session's;
 * - `jit` is off: catalog joins over thousands of tables are estimated costly enough for JIT compilation with
 *   inlining and optimisation, which took seconds of the server's time at 10,000 tables (the unmanaged-objects
 *   query: 3.3 s with it, 0.19 s without) to run plans that take milliseconds.
 *
 * Each query's rows come back as one `json` value (json_agg over the query, in its order), which the driver parses
 * with JSON.parse: node-postgres builds each row of a text result field by field in JavaScript, which in a
 * short-lived process runs mostly unoptimised, and was the largest part of `keel inspect`'s own time at 1,000
 * tables (the index, constraint and sequence queries read in a new process: 33, 35 and 12 ms of the client's CPU
 * as rows, 5, 6 and 3 ms as one json value, for 0-5 ms more of the server's). The rows are the same: every column
 * the catalog queries return is text, name, bool, int4, text[] or json, which JSON spells as the driver parses them.
 *
 * Where the connection can take several statements in one message (`queryBatch`: a server through node-postgres),
 * they all go at once, parameters written in as literals: the server runs one statement while the client is still
 * reading the rows of the one before, instead of waiting idle for each answer in turn (one message is one
 * transaction, so a failure rolls back the settings too; under READ COMMITTED each statement still takes its own
 * snapshot: only the two-session read below, REPEATABLE READ, reads all of them in one). Elsewhere (PGlite,
 * in-process) they run one by one.
 */
export async function readCatalogQueries<Q extends Record<string, CatalogQuery<unknown>>>(
  conn: Connection,
  queries: Q,
  previous: SessionSettings,
  onSibling?: ReadonlySet<string>,
): Promise<RowsOf<Q>> {
  const keys = Object.keys(queries) as (keyof Q & string)[]
  const rows: Record<string, readonly unknown[]> = {}
  const set = settingsSql({ searchPath: 'public', jit: previous.jit === null ? null : 'off' })
  const restore = settingsSql(previous)
  if (onSibling !== undefined && conn.queryBatch !== undefined && conn.openSibling !== undefined) {
    const mine = keys.filter((key) => !onSibling.has(key))
    const theirs = keys.filter((key) => onSibling.has(key))
    const read = await readOnTwoSessions(conn, [
      [set, ...mine.map((key) => withLiterals(queries[key] as CatalogQuery<unknown>)), restore],
      [set, ...theirs.map((key) => withLiterals(queries[key] as CatalogQuery<unknown>))],
    ])
    // No second session (a connection limit, a refused snapshot export): one message on this one, as below.
    if (read !== undefined) {
      mine.forEach((key, i) => {
        rows[key] = jsonRowsOf(read[0][i + 1])
      })
      theirs.forEach((key, i) => {
        rows[key] = jsonRowsOf(read[1][i + 1])
      })
      return rows as RowsOf<Q>
    }
  }
  if (conn.queryBatch !== undefined) {
    const statements = [set, ...keys.map((key) => withLiterals(queries[key] as CatalogQuery<unknown>)), restore]
    const results = await conn.queryBatch(statements)
    keys.forEach((key, i) => {
      rows[key] = jsonRowsOf(results[i + 1])
    })
    return rows as RowsOf<Q>
  }
  await conn.query(set)
  try {
    for (const key of keys) {
      const query = queries[key] as CatalogQuery<unknown>
      rows[key] = jsonRowsOf(await conn.query(asJsonRows(query.sql), query.params))
    }
  } finally {
    await conn.query(restore)
  }
  return rows as RowsOf<Q>
}

/** Each statement's rows, in order. */
type Rows = readonly (readonly Record<string, unknown>[])[]

/**
 * Runs `batches[0]` on `conn` and `batches[1]` on a second session (`conn.openSibling`) at the same time, both in
 * one REPEATABLE READ snapshot: `conn`'s transaction exports it (pg_export_snapshot) and stays open until the sibling
 * has imported it (SET TRANSACTION SNAPSHOT), so that both read the catalog of one moment. The server then runs the
 * two halves on two backends (two cores where it has them) while the client reads the rows of both. The sibling
 * connects while `conn` exports. Undefined, with `conn` as it was, when there is no sibling or no snapshot to share.
 */
async function readOnTwoSessions(
  conn: Connection,
  batches: readonly [readonly string[], readonly string[]],
): Promise<readonly [Rows, Rows] | undefined> {
  const batch = (on: Connection, statements: readonly string[]) =>
    (on.queryBatch as NonNullable<Connection['queryBatch']>)(statements)
  const begin = 'begin isolation level repeatable read, read only'
  const opening = (conn.openSibling as NonNullable<Connection['openSibling']>)().catch(() => undefined)
  const exported = await batch(conn, [begin, 'select pg_export_snapshot() as snapshot']).catch(() => undefined)
  const sibling = await opening
  const snapshot = exported?.[1]?.[0]?.snapshot
  try {
    if (sibling === undefined || typeof snapshot !== 'string') {
      await batch(conn, ['rollback'])
      return undefined
    }
    const theirs = batch(sibling, [
      begin,
      `set transaction snapshot ${quoteLiteral(snapshot)}`,
      ...batches[1],
      'commit',
    ])
    // The sibling's rows lose their first two results (begin and the snapshot) to line up with `batches[1]`.
    const [own, other] = await Promise.all([batch(conn, batches[0]), theirs.then((results) => results.slice(2))])
    await batch(conn, ['commit'])
    return [own, other]
  } catch (error) {
    // A failed statement leaves the transaction aborted, the settings `set` changed rolled back with it.
    await batch(conn, ['rollback']).catch(() => {})
    throw error
  } finally {
    await sibling?.close()
  }
}

/** One statement that sets `search_path` and, where the server has it, `jit` for the session. */
function settingsSql(settings: SessionSettings): string {
  const jit = settings.jit === null ? '' : `, set_config('jit', ${quoteLiteral(settings.jit)}, false)`
  return `select set_config('search_path', ${quoteLiteral(settings.searchPath)}, false)${jit}`
}

/** A query that returns the rows of `sql`, in their order, as one json array: one row, one column, `rows`. */
function asJsonRows(sql: string): string {
  // An aggregate over a sorted subquery, with no join beside it, takes the rows in the subquery's order.
  return `select coalesce(json_agg(r), '[]'::json) as rows from (${sql}\n) r`
}

/** The rows of an `asJsonRows` query's result. */
function jsonRowsOf(result: readonly Record<string, unknown>[] | undefined): readonly unknown[] {
  const rows = result?.[0]?.rows
  if (!Array.isArray(rows)) throw new Error('catalog query returned no json array of rows')
  return rows
}

/** `asJsonRows` of the query, with `$n` replaced by its parameter as a literal (`null`, `'{}'`, `ARRAY['a', 'b']`). */
function withLiterals(query: CatalogQuery<unknown>): string {
  return asJsonRows(query.sql).replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.params[Number(n) - 1]
    if (value === undefined) throw new Error(`catalog query has no parameter $${n}`)
    if (value === null) return 'null'
    return value.length === 0 ? `'{}'` : `ARRAY[${value.map(quoteLiteral).join(', ')}]`
  })
}
