import type { Connection } from '../db/connection.js'
import { runtimeOf } from '../dialect/runtimes.js'
import type { LiveFacts } from './rule.js'

/**
 * Reads what the rules may use from a live PostgreSQL database, in three queries: the server version, each
 * table's estimated rows and size (pg_class.reltuples, which ANALYZE and autovacuum keep current; -1 means
 * never analyzed, counted by its pages then), each column's type, and which view columns read which table columns.
 */
export async function readLiveFacts(conn: Connection): Promise<LiveFacts> {
  if (conn.dialect === 'mysql') return readMysqlLiveFacts(conn)
  if (conn.dialect === 'sqlite') return readSqliteLiveFacts(conn)
  const [version] = await conn.query<{ v: string }>(`select current_setting('server_version_num') as v`)
  const tables = await conn.query<{ key: string; rows: string; bytes: string }>(
    `select case when n.nspname = 'public' then c.relname else n.nspname || '.' || c.relname end as key,
            greatest(c.reltuples, case when c.relpages > 0 then c.relpages * 50 else 0 end)::bigint::text as rows,
            pg_total_relation_size(c.oid)::text as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg_toast%'`,
  )
  const columns = await conn.query<{ key: string; type: string }>(
    `select case when n.nspname = 'public' then c.relname else n.nspname || '.' || c.relname end || '.' || a.attname as key,
            format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and n.nspname not in ('pg_catalog', 'information_schema')`,
  )
  // A view's rewrite rule depends on each column it reads (pg_depend with refobjsubid = the column number).
  const views = await conn.query<{ key: string; view: string; col: string }>(
    `select distinct case when tn.nspname = 'public' then t.relname else tn.nspname || '.' || t.relname end as key,
            case when vn.nspname = 'public' then v.relname else vn.nspname || '.' || v.relname end as view,
            a.attname as col
       from pg_depend d
       join pg_rewrite r on r.oid = d.objid and d.classid = 'pg_rewrite'::regclass
       join pg_class v on v.oid = r.ev_class join pg_namespace vn on vn.oid = v.relnamespace
       join pg_class t on t.oid = d.refobjid and d.refclassid = 'pg_class'::regclass
       join pg_namespace tn on tn.oid = t.relnamespace
       join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where d.refobjsubid > 0 and v.oid <> t.oid and tn.nspname not in ('pg_catalog', 'information_schema')`,
  )
  const viewColumns = new Map<string, { view: string; column: string }[]>()
  for (const row of views) {
    const list = viewColumns.get(row.key) ?? []
    list.push({ view: row.view, column: row.col })
    viewColumns.set(row.key, list)
  }
  return {
    serverVersion: Number(version?.v ?? 0),
    tables: new Map(tables.map((t) => [t.key, { rows: Number(t.rows), bytes: Number(t.bytes) }])),
    columnTypes: new Map(columns.map((c) => [c.key, c.type])),
    viewColumns,
  }
}

/**
 * The MySQL/MariaDB facts the MySQL rules use: each table of the current database with its estimated rows and
 * bytes (information_schema.tables: InnoDB's estimate, kept by ANALYZE TABLE and its statistics), keyed by its
 * lowercase name as the rules key ALTER TABLE's table.
 */
async function readMysqlLiveFacts(conn: Connection): Promise<LiveFacts> {
  const tables = await conn.query<{ k: string; r: string | number | null; b: string | number | null }>(
    `select lower(table_name) as k, table_rows as r, data_length + index_length as b
       from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'`,
  )
  return { tables: new Map(tables.map((t) => [t.k, { rows: Number(t.r ?? 0), bytes: Number(t.b ?? 0) }])) }
}

/** Rows counted up to this many: one more already makes a table large (lint.ts's SMALL_ROWS). */
const SQLITE_COUNT_LIMIT = 100_000

/**
 * The SQLite facts: each table and its rows, counted up to {@link SQLITE_COUNT_LIMIT} + 1 (SQLite keeps no row
 * estimate, and a bounded count stays quick on any table); bytes are not known per table and count as 0.
 */
async function readSqliteLiveFacts(conn: Connection): Promise<LiveFacts> {
  const names = await conn.query<{ name: string }>(
    `select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'`,
  )
  const tables = new Map<string, { rows: number; bytes: number }>()
  for (const { name } of names) {
    const quoted = runtimeOf('sqlite').quoteIdent(name)
    const [row] = await conn.query<{ n: number }>(
      `select count(*) as n from (select 1 from ${quoted} limit ${SQLITE_COUNT_LIMIT + 1})`,
    )
    tables.set(name, { rows: Number(row?.n ?? 0), bytes: 0 })
  }
  return { tables }
}
