import type { Connection } from '../../db/connection.js'
import type { LiveFacts } from '../../lint/rule.js'
import { quoteIdent } from './quote.js'

/** Rows counted up to this many: one more already makes a table large (lint.ts's SMALL_ROWS). */
const SQLITE_COUNT_LIMIT = 100_000

/**
 * The SQLite facts: each table and its rows, counted up to {@link SQLITE_COUNT_LIMIT} + 1 (SQLite keeps no row
 * estimate, and a bounded count stays quick on any table); bytes are not known per table and count as 0.
 */
export async function readSqliteLiveFacts(conn: Connection): Promise<LiveFacts> {
  const names = await conn.query<{ name: string }>(
    `select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'`,
  )
  const tables = new Map<string, { rows: number; bytes: number }>()
  for (const { name } of names) {
    const quoted = quoteIdent(name)
    const [row] = await conn.query<{ n: number }>(
      `select count(*) as n from (select 1 from ${quoted} limit ${SQLITE_COUNT_LIMIT + 1})`,
    )
    tables.set(name, { rows: Number(row?.n ?? 0), bytes: 0 })
  }
  return { tables }
}
