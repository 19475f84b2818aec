import type { Connection } from '../../db/connection.js'
import type { LiveFacts } from '../../lint/rule.js'

/** The name of a relation as the rules key it: bare in public, else schema-qualified. */
const key = (namespace: string, relation: string) =>
  `case when ${namespace}.nspname = 'public' then ${relation}.relname else ${namespace}.nspname || '.' || ${relation}.relname end`

const VERSION = `select current_setting('server_version_num') as v`

const TABLES = `select ${key('n', 'c')} as key,
            greatest(c.reltuples, case when c.relpages > 0 then c.relpages * 50 else 0 end)::bigint::text as rows,
            pg_total_relation_size(c.oid)::text as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg_toast%'`

const COLUMNS = `select ${key('n', 'c')} || '.' || a.attname as key,
            format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and n.nspname not in ('pg_catalog', 'information_schema')`

// A view's rewrite rule depends on each column it reads (pg_depend with refobjsubid = the column number).
const VIEWS = `select distinct ${key('tn', 't')} as key, ${key('vn', 'v')} as view, a.attname as col
       from pg_depend d
       join pg_rewrite r on r.oid = d.objid and d.classid = 'pg_rewrite'::regclass
       join pg_class v on v.oid = r.ev_class join pg_namespace vn on vn.oid = v.relnamespace
       join pg_class t on t.oid = d.refobjid and d.refclassid = 'pg_class'::regclass
       join pg_namespace tn on tn.oid = t.relnamespace
       join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where d.refobjsubid > 0 and v.oid <> t.oid and tn.nspname not in ('pg_catalog', 'information_schema')`

// A validated CHECK (col IS NOT NULL), printed by the server as CHECK ((col IS NOT NULL)), proves the column.
const CHECKED = `select ${key('n', 'c')} || '.' || a.attname as key
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
      where k.contype = 'c' and k.convalidated and cardinality(k.conkey) = 1
        and pg_get_constraintdef(k.oid) = 'CHECK ((' || quote_ident(a.attname) || ' IS NOT NULL))'`

// The leaves of each partitioned table at any depth: what pg_partition_tree(root) lists with isleaf (a partition that
// is not itself partitioned), walked through pg_inherits so that the text parses on every server and can travel with
// the others. Before PostgreSQL 12 none are known, as when pg_partition_tree (12+) was called only from 12 on.
const LEAVES = `with recursive tree (root, relid) as (
         select c.oid, i.inhrelid
           from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_inherits i on i.inhparent = c.oid
          where c.relkind = 'p' and n.nspname not in ('pg_catalog', 'information_schema')
            and current_setting('server_version_num')::integer >= 120000
         union all
         select t.root, i.inhrelid from tree t join pg_inherits i on i.inhparent = t.relid
       )
     select ${key('n', 'c')} as key, ${key('ln', 'l')} as leaf
       from tree t join pg_class c on c.oid = t.root join pg_namespace n on n.oid = c.relnamespace
       join pg_class l on l.oid = t.relid join pg_namespace ln on ln.oid = l.relnamespace
      where l.relkind <> 'p'`

interface FactRows {
  readonly version: readonly { v: string }[]
  readonly tables: readonly { key: string; rows: string; bytes: string }[]
  readonly columns: readonly { key: string; type: string }[]
  readonly views: readonly { key: string; view: string; col: string }[]
  readonly checked: readonly { key: string }[]
  readonly leaves: readonly { key: string; leaf: string }[]
}

/**
 * Reads what the rules may use from a live PostgreSQL database: the server version, each table's estimated rows
 * and size (pg_class.reltuples, which ANALYZE and autovacuum keep current; -1 means never analyzed, counted by its
 * pages then), each column's type, which view columns read which table columns, which columns a validated
 * IS NOT NULL check proves, and each partitioned table's leaves.
 */
export async function readPostgresLiveFacts(conn: Connection): Promise<LiveFacts> {
  const { version, tables, columns, views, checked, leaves } = await readFactRows(conn)
  const partitions = new Map<string, string[]>()
  for (const row of leaves) partitions.set(row.key, [...(partitions.get(row.key) ?? []), row.leaf])
  const viewColumns = new Map<string, { view: string; column: string }[]>()
  for (const row of views) {
    const list = viewColumns.get(row.key) ?? []
    list.push({ view: row.view, column: row.col })
    viewColumns.set(row.key, list)
  }
  return {
    serverVersion: Number(version[0]?.v ?? 0),
    tables: new Map(tables.map((t) => [t.key, { rows: Number(t.rows), bytes: Number(t.bytes) }])),
    columnTypes: new Map(columns.map((c) => [c.key, c.type])),
    viewColumns,
    notNullChecked: new Set(checked.map((c) => c.key)),
    partitions,
  }
}

/**
 * The six reads in one round trip where the driver takes several statements in one message (queryBatch: a server
 * through node-postgres; `keel migrate` reads them before its first migration), else one after the other (PGlite,
 * in the process, where a query costs no round trip).
 */
async function readFactRows(conn: Connection): Promise<FactRows> {
  const texts = [VERSION, TABLES, COLUMNS, VIEWS, CHECKED, LEAVES]
  let results: readonly (readonly Record<string, unknown>[])[]
  if (conn.queryBatch !== undefined) results = await conn.queryBatch(texts)
  else {
    const each: (readonly Record<string, unknown>[])[] = []
    for (const text of texts) each.push(await conn.query(text))
    results = each
  }
  const [version, tables, columns, views, checked, leaves] = results as unknown as [
    FactRows['version'],
    FactRows['tables'],
    FactRows['columns'],
    FactRows['views'],
    FactRows['checked'],
    FactRows['leaves'],
  ]
  return { version, tables, columns, views, checked, leaves }
}
