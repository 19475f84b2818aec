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
 * Reads the session's `SessionSettings` and the server's version (server_version_num), for a read on this session
 * alone (`readCatalogQueries`).
 */
export const SESSION_SETTINGS_SQL = `select current_setting('search_path') as search_path,
  current_setting('jit', true) as jit, current_setting('server_version_num')::int as version`

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
 * snapshot: only the two-session read, `readCatalogInSnapshot`, reads all of them in one). Elsewhere (PGlite,
 * in-process) they run one by one.
 */
export async function readCatalogQueries<Q extends Record<string, CatalogQuery<unknown>>>(
  conn: Connection,
  queries: Q,
  previous: SessionSettings,
): Promise<RowsOf<Q>> {
  const keys = Object.keys(queries) as (keyof Q & string)[]
  const set = settingsSql({ searchPath: 'public', jit: previous.jit === null ? null : 'off' })
  const restore = settingsSql(previous)
  if (conn.queryBatch !== undefined) {
    const results = await conn.queryBatch([
      set,
      ...keys.map((key) => withLiterals(queries[key] as CatalogQuery<unknown>)),
      restore,
    ])
    return rowsByKey(keys, results.slice(1)) as RowsOf<Q>
  }
  const rows: Record<string, readonly unknown[]> = {}
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

/** A connection that can send several statements in one message and open a second session. */
export type SiblingCapable = Connection & Required<Pick<Connection, 'queryBatch' | 'openSibling'>>

/** Whether `conn` can be read on two sessions (`readCatalogInSnapshot`). */
export function isSiblingCapable(conn: Connection): conn is SiblingCapable {
  return conn.queryBatch !== undefined && conn.openSibling !== undefined
}

/** Each statement's rows, in order. */
type Rows = readonly (readonly Record<string, unknown>[])[]

const BEGIN_SNAPSHOT = 'begin isolation level repeatable read, read only'

/**
 * The settings of `readCatalogQueries`, for the rest of the transaction only (set_config's `is_local`): the commit
 * or rollback that ends it puts back the session's own, with no statement to restore them and nothing to read
 * first. `jit` is set only where the server has it.
 */
const LOCAL_SETTINGS_SQL = `select set_config('search_path', 'public', true) as search_path,
  (select set_config('jit', 'off', true) where current_setting('jit', true) is not null) as jit`

/**
 * The first statement of a read in one snapshot: the server's version, how many relations were created after initdb
 * (OIDs from FirstNormalObjectId, 16384: tables, indexes, sequences, views...), which says whether the catalog is
 * large enough to read on two sessions, and the snapshot a second session imports.
 */
const SNAPSHOT_FACTS_SQL = `select current_setting('server_version_num')::int as version,
  (select count(*) from pg_class where oid >= 16384)::int as relations, pg_export_snapshot() as snapshot`

/**
 * Reads catalog queries in one REPEATABLE READ snapshot, on two sessions when the catalog has at least
 * `siblingFrom` relations: `conn` runs the queries `onSibling` leaves, and a second session (`conn.openSibling`)
 * imports `conn`'s snapshot (SET TRANSACTION SNAPSHOT) and runs those it names at the same time, so that the server
 * works on two backends (two cores where it has them) while the client reads the rows of both. `queriesFor` gives
 * the queries for the server's version.
 *
 * One round trip comes before the queries: it opens the transaction, sets `LOCAL_SETTINGS_SQL` and reads
 * `SNAPSHOT_FACTS_SQL`; `conn` then sends its queries at once, while the second session connects. (The settings
 * and the version were a round trip of their own before, and this session waited for the second one to connect:
 * from the first statement to the catalog queries, 40 -> 14 ms of a cold `keel inspect` of the production-shaped
 * schema of bench/, at a load average of 10.)
 *
 * Undefined, with `conn` as it was, when the transaction or the snapshot cannot be had (a server that refuses
 * pg_export_snapshot): the caller then reads on `conn` alone. A second session that cannot connect leaves its
 * queries to `conn`, in the same snapshot. The caller holds no transaction on `conn`.
 */
export async function readCatalogInSnapshot<Q extends Record<string, CatalogQuery<unknown>>>(
  conn: SiblingCapable,
  queriesFor: (serverVersion: number) => Q,
  siblingFrom: number,
  onSibling: ReadonlySet<string>,
): Promise<{ readonly serverVersion: number; readonly rows: RowsOf<Q> } | undefined> {
  let facts: Record<string, unknown> | undefined
  try {
    facts = (await conn.queryBatch([BEGIN_SNAPSHOT, LOCAL_SETTINGS_SQL, SNAPSHOT_FACTS_SQL]))[2]?.[0]
  } catch {
    facts = undefined
  }
  const snapshot = facts?.snapshot
  if (typeof snapshot !== 'string' || typeof facts?.version !== 'number') {
    await conn.queryBatch(['rollback']).catch(() => {})
    return undefined
  }
  const serverVersion = facts.version
  const queries = queriesFor(serverVersion)
  const keys = Object.keys(queries) as (keyof Q & string)[]
  const statementsOf = (some: readonly (keyof Q & string)[]) =>
    some.map((key) => withLiterals(queries[key] as CatalogQuery<unknown>))
  try {
    if (Number(facts.relations) < siblingFrom) {
      const rows = rowsByKey(keys, await conn.queryBatch([...statementsOf(keys), 'commit']))
      return { serverVersion, rows: rows as RowsOf<Q> }
    }
    const mine = keys.filter((key) => !onSibling.has(key))
    const theirs = keys.filter((key) => onSibling.has(key))
    const [own, other] = await settledBoth(
      conn.queryBatch(statementsOf(mine)),
      readOnSibling(conn, snapshot, statementsOf(theirs)),
    )
    // No second session (a connection limit): its queries run here after this session's own, in the same snapshot.
    const rest = other ?? (await conn.queryBatch(statementsOf(theirs)))
    await conn.queryBatch(['commit'])
    return { serverVersion, rows: { ...rowsByKey(mine, own), ...rowsByKey(theirs, rest) } as RowsOf<Q> }
  } catch (error) {
    // A failed statement leaves the transaction aborted; the rollback also puts back the settings.
    await conn.queryBatch(['rollback']).catch(() => {})
    throw error
  }
}

/**
 * Runs `statements` on a second session in the snapshot `snapshot` that `conn`'s open transaction exported, and
 * closes it. Undefined when no second session can be opened.
 */
async function readOnSibling(conn: SiblingCapable, snapshot: string, statements: readonly string[]) {
  const sibling = await conn.openSibling().catch(() => undefined)
  if (sibling?.queryBatch === undefined) {
    await sibling?.close()
    return undefined
  }
  try {
    const opening = [BEGIN_SNAPSHOT, `set transaction snapshot ${quoteLiteral(snapshot)}`, LOCAL_SETTINGS_SQL]
    const results = await sibling.queryBatch([...opening, ...statements, 'commit'])
    return results.slice(opening.length)
  } finally {
    await sibling.close()
  }
}

/** Both promises' values once both have settled (neither is left running when the other fails), else the first error. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b])
  if (x.status === 'rejected') throw x.reason
  if (y.status === 'rejected') throw y.reason
  return [x.value, y.value]
}

/** The rows of each key's statement: `results[i]` holds the json rows of `keys[i]`'s query. */
function rowsByKey(keys: readonly string[], results: Rows): Record<string, readonly unknown[]> {
  const rows: Record<string, readonly unknown[]> = {}
  keys.forEach((key, i) => {
    rows[key] = jsonRowsOf(results[i])
  })
  return rows
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
