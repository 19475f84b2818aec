import type { Connection } from '../../../db/connection.js'
import { KeelError } from '../../../errors.js'
import type { BackfillTable } from '../../runner.js'

/**
 * The columns a backfill walks the table by: its primary key, else the narrowest unique index over NOT NULL
 * columns (no expression, no predicate, valid). A table with neither is refused: without a key, batches
 * cannot be cut in ranges, and one UPDATE of the whole table would hold its row locks to the end.
 */
export async function usableKey(conn: Connection, table: BackfillTable): Promise<readonly string[]> {
  const rows = await conn.query<{ columns: readonly string[] | string; nullable: boolean }>(
    `select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
                  join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.n) as columns,
            exists(select 1 from unnest(i.indkey) k(attnum) join pg_catalog.pg_attribute a
                   on a.attrelid = i.indrelid and a.attnum = k.attnum where not a.attnotnull) as nullable
       from pg_catalog.pg_index i
       join pg_catalog.pg_class c on c.oid = i.indrelid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relname = $1 and n.nspname = coalesce($2, current_schema())
        and i.indisunique and i.indisvalid and i.indpred is null and i.indexprs is null
      order by i.indisprimary desc, i.indnatts, i.indexrelid`,
    [table.name, table.schema ?? null],
  )
  const key = rows.find((row) => !row.nullable)
  if (key === undefined) {
    throw new KeelError(
      'BACKFILL_NO_KEY',
      `cannot backfill ${table.schema === undefined ? '' : `${table.schema}.`}${table.name} in batches: it has no primary key or unique index over NOT NULL columns`,
    )
  }
  return typeof key.columns === 'string' ? parseArray(key.columns) : key.columns
}

/** `{a,"b c"}` → ['a', 'b c'] (a text[] as a driver without array parsing returns it). */
function parseArray(text: string): readonly string[] {
  const inner = text.slice(1, -1)
  const out: string[] = []
  for (const match of inner.matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)) {
    out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] as string))
  }
  return out
}

/** The planner's row estimate of a table (pg_class.reltuples), or undefined when it has none. */
export async function estimate(conn: Connection, table: BackfillTable): Promise<number | undefined> {
  const [row] = await conn.query<{ n: number | null }>(
    `SELECT c.reltuples::float8 AS n FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
      WHERE c.relname = $1 AND s.nspname = coalesce($2, current_schema())`,
    [table.name, table.schema ?? null],
  )
  const n = Number(row?.n ?? -1)
  return n > 0 ? n : undefined
}
