import type { Connection } from '../../db/connection.js'
import type { LiveFacts } from '../../lint/rule.js'

/**
 * The MySQL/MariaDB facts the MySQL rules use: each table of the current database with its estimated rows and
 * bytes (information_schema.tables: InnoDB's estimate, kept by ANALYZE TABLE and its statistics), keyed by its
 * lowercase name as the rules key ALTER TABLE's table.
 */
export async function readMysqlLiveFacts(conn: Connection): Promise<LiveFacts> {
  const tables = await conn.query<{ k: string; r: string | number | null; b: string | number | null }>(
    `select lower(table_name) as k, table_rows as r, data_length + index_length as b
       from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'`,
  )
  return { tables: new Map(tables.map((t) => [t.k, { rows: Number(t.r ?? 0), bytes: Number(t.b ?? 0) }])) }
}
