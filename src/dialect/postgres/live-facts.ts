import type { Connection } from '../../db/connection.js'
import type { LiveFacts } from '../../lint/rule.js'

/**
 * Reads what the rules may use from a live PostgreSQL database: the server version, each table's estimated rows
 * and size (pg_class.reltuples, which ANALYZE and autovacuum keep current; -1 means never analyzed, counted by its
 * pages then), each column's type, which view columns read which table columns, and which columns a validated
 * IS NOT NULL check proves.
 */
export async function readPostgresLiveFacts(conn: Connection): Promise<LiveFacts> {
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
  // A validated CHECK (col IS NOT NULL), printed by the server as CHECK ((col IS NOT NULL)), proves the column.
  const checked = await conn.query<{ key: string }>(
    `select case when n.nspname = 'public' then c.relname else n.nspname || '.' || c.relname end || '.' || a.attname as key
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
      where k.contype = 'c' and k.convalidated and cardinality(k.conkey) = 1
        and pg_get_constraintdef(k.oid) = 'CHECK ((' || quote_ident(a.attname) || ' IS NOT NULL))'`,
  )
  // The leaves of each partitioned table (pg_partition_tree, PostgreSQL 12+: before, none are known), at any depth.
  const leaves =
    Number(version?.v ?? 0) < 120000
      ? []
      : await conn.query<{ key: string; leaf: string }>(
          `select case when n.nspname = 'public' then c.relname else n.nspname || '.' || c.relname end as key,
            case when ln.nspname = 'public' then l.relname else ln.nspname || '.' || l.relname end as leaf
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join lateral pg_partition_tree(c.oid) t
       join pg_class l on l.oid = t.relid join pg_namespace ln on ln.oid = l.relnamespace
      where c.relkind = 'p' and t.isleaf and n.nspname not in ('pg_catalog', 'information_schema')`,
        )
  const partitions = new Map<string, string[]>()
  for (const row of leaves) partitions.set(row.key, [...(partitions.get(row.key) ?? []), row.leaf])
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
    notNullChecked: new Set(checked.map((c) => c.key)),
    partitions,
  }
}
