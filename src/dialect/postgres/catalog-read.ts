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

/**
 * Runs catalog queries with `search_path` set to `public` (so that expressions and types print their names the same
 * way whatever the session's own setting), then puts back `searchPath`, and returns each query's rows by its key.
 *
 * Where the connection can take several statements in one message (`queryBatch`: a server through node-postgres),
 * they all go at once, parameters written in as literals: the server runs one statement while the client is still
 * reading the rows of the one before, instead of waiting idle for each answer in turn, and all of them read one
 * snapshot (one message is one transaction; a failure rolls back the `search_path` change too). Elsewhere (PGlite,
 * in-process) they run one by one.
 */
export async function readCatalogQueries<Q extends Record<string, CatalogQuery<unknown>>>(
  conn: Connection,
  queries: Q,
  searchPath: string,
): Promise<RowsOf<Q>> {
  const keys = Object.keys(queries) as (keyof Q & string)[]
  const rows: Record<string, readonly unknown[]> = {}
  if (conn.queryBatch !== undefined) {
    const statements = [
      "select set_config('search_path', 'public', false)",
      ...keys.map((key) => withLiterals(queries[key] as CatalogQuery<unknown>)),
      `select set_config('search_path', ${quoteLiteral(searchPath)}, false)`,
    ]
    const results = await conn.queryBatch(statements)
    keys.forEach((key, i) => {
      rows[key] = results[i + 1] ?? []
    })
    return rows as RowsOf<Q>
  }
  await conn.query("select set_config('search_path', 'public', false)")
  try {
    for (const key of keys) {
      const query = queries[key] as CatalogQuery<unknown>
      rows[key] = await conn.query(query.sql, query.params)
    }
  } finally {
    await conn.query("select set_config('search_path', $1, false)", [searchPath])
  }
  return rows as RowsOf<Q>
}

/** The query with `$n` replaced by its parameter as a literal (`null`, `'{}'`, `ARRAY['a', 'b']`). */
function withLiterals(query: CatalogQuery<unknown>): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.params[Number(n) - 1]
    if (value === undefined) throw new Error(`catalog query has no parameter $${n}`)
    if (value === null) return 'null'
    return value.length === 0 ? `'{}'` : `ARRAY[${value.map(quoteLiteral).join(', ')}]`
  })
}
