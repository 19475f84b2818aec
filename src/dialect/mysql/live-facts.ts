import type { Connection } from '../../db/connection.js'
import type { LiveFacts } from '../../lint/rule.js'

/**
 * The MySQL/MariaDB facts the MySQL rules use: each table of the current database with its estimated rows and
 * bytes (information_schema.tables: InnoDB's estimate, kept by ANALYZE TABLE and its statistics), keyed by its
 * lowercase name as the rules key ALTER TABLE's table, and each table's B-tree indexes with their columns in
 * order (require-index-for-foreign-key: whether an index already serves a new foreign key).
 */
export async function readMysqlLiveFacts(conn: Connection): Promise<LiveFacts> {
  const tables = await conn.query<{ k: string; r: string | number | null; b: string | number | null }>(
    `select lower(table_name) as k, table_rows as r, data_length + index_length as b
       from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'`,
  )
  const columns = await conn.query<{ k: string; i: string; c: string | null }>(
    `select lower(table_name) as k, index_name as i, lower(column_name) as c
       from information_schema.statistics
      where table_schema = database() and index_type not in ('FULLTEXT', 'SPATIAL')
      order by table_name, index_name, seq_in_index`,
  )
  const byIndex = new Map<string, { table: string; columns: string[]; stopped: boolean }>()
  for (const row of columns) {
    const key = `${row.k}\u0000${row.i}`
    const index = byIndex.get(key) ?? { table: row.k, columns: [], stopped: false }
    // An expression part (MySQL 8's functional index) has no column: the index serves the columns before it.
    if (row.c === null) index.stopped = true
    else if (!index.stopped) index.columns.push(row.c)
    byIndex.set(key, index)
  }
  const indexes = new Map<string, (readonly string[])[]>()
  for (const { table, columns: cols } of byIndex.values()) indexes.set(table, [...(indexes.get(table) ?? []), cols])
  return {
    tables: new Map(tables.map((t) => [t.k, { rows: Number(t.r ?? 0), bytes: Number(t.b ?? 0) }])),
    indexes,
  }
}
