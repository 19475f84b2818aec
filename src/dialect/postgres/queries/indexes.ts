import { namespaceFilter } from './filter.js'

/** One position of an index: a key part or, past `key_count`, an INCLUDE column. */
export interface IndexPartRow {
  /** The column, or null for an expression. */
  readonly column: string | null
  readonly expr: string | null
  /** indoption bits: 1 DESC, 2 NULLS FIRST. */
  readonly option: number | null
  /** The operator class (`schema.name` outside pg_catalog and public), null when it is the default one. */
  readonly opclass: string | null
  /** The collation, null when it is the column's (or the expression type's) own. */
  readonly collation: string | null
}

/** An index that does not back a primary key, unique or exclusion constraint. */
export interface IndexRow {
  readonly oid: string
  readonly table_oid: string
  readonly name: string
  readonly unique: boolean
  readonly method: string
  readonly key_count: number
  readonly where: string | null
  readonly nulls_not_distinct: boolean
  readonly parts: readonly IndexPartRow[]
}

/** One position of one index, as the query returns it: the index's own fields repeat on each of its parts. */
export interface IndexPartFlatRow extends IndexPartRow, Omit<IndexRow, 'parts'> {
  readonly ord: number
}

/**
 * Indexes on tables and materialized views, one row per position (key part or INCLUDE column), ordered by table,
 * index and position: the whole database in one round trip, without building JSON per index on the server. indkey,
 * indoption, indclass and indcollation are int2vector/oidvector, subscripted from 0. An operator class is reported
 * only when it is not the default for its type and access method (pg_opclass.opcdefault); it is joined once for all
 * rows. The collation is looked up only where the position has one. `serverVersion` picks
 * indnullsnotdistinct (PostgreSQL 15+).
 *
 * The indexes are chosen first, in a subquery that `offset 0` keeps the planner from flattening, and each position's
 * column is then read through pg_attribute's (attrelid, attnum) index, also fenced: flattened, the planner hashed
 * all of pg_attribute (43,000 rows at 1,000 tables) to name 3,000 positions, and named the positions of the primary
 * key and unique indexes it dropped only afterwards (1,000 tables: 34 -> 28 ms of a new session's server time).
 */
export function indexesSql(serverVersion: number): string {
  return `
select ic.oid::text as oid, i.indrelid::text as table_oid, ic.relname as name, i.indisunique as unique,
  am.amname as method, i.indnkeyatts::int as key_count,
  case when k.ord = 1 then pg_get_expr(i.indpred, i.indrelid) end as where,
  ${serverVersion >= 150000 ? 'i.indnullsnotdistinct' : 'false'} as nulls_not_distinct,
  k.ord::int as ord, a.attname as column,
  case when k.attnum = 0 then pg_get_indexdef(i.indexrelid, k.ord::int, true) end as expr,
  i.indoption[k.ord - 1]::int as option,
  case when opcn.nspname in ('pg_catalog', 'public') then opc.opcname::text else opcn.nspname || '.' || opc.opcname end
    as opclass,
  case when i.indcollation[k.ord - 1] <> 0 then
    (select case when coln.nspname in ('pg_catalog', 'public') then coll.collname::text
                 else coln.nspname || '.' || coll.collname end
       from pg_collation coll join pg_namespace coln on coln.oid = coll.collnamespace
      where coll.oid = i.indcollation[k.ord - 1]
        and coll.oid <> coalesce(a.attcollation,
          (select it.typcollation from pg_attribute ia join pg_type it on it.oid = ia.atttypid
            where ia.attrelid = i.indexrelid and ia.attnum = k.ord)))
  end as collation
from (
  select i.* from pg_index i
  join pg_class c on c.oid = i.indrelid
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm', 'p')
    -- An index attached to a partitioned parent's index is PostgreSQL's clone of it, not the partition's own.
    and not exists (select from pg_inherits ih where ih.inhrelid = i.indexrelid)
    and ${namespaceFilter('n')}
    and not exists (select from pg_constraint pc
      where pc.conindid = i.indexrelid and pc.conrelid = i.indrelid and pc.contype in ('p', 'u', 'x'))
  offset 0
) i
join pg_class ic on ic.oid = i.indexrelid
join pg_am am on am.oid = ic.relam
cross join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
left join lateral (select a.attname, a.attcollation from pg_attribute a
  where a.attrelid = i.indrelid and a.attnum = k.attnum and k.attnum <> 0 offset 0) a on true
left join pg_opclass opc on opc.oid = i.indclass[k.ord - 1] and not opc.opcdefault
left join pg_namespace opcn on opcn.oid = opc.opcnamespace
order by i.indrelid, ic.relname, k.ord`
}

/** The rows of `indexesSql`, one per index with its parts in order. */
export function groupIndexRows(rows: readonly IndexPartFlatRow[]): IndexRow[] {
  const indexes: IndexRow[] = []
  let current: { row: IndexRow; parts: IndexPartRow[] } | undefined
  for (const row of rows) {
    if (current === undefined || current.row.oid !== row.oid) {
      const parts: IndexPartRow[] = []
      current = {
        parts,
        row: {
          oid: row.oid,
          table_oid: row.table_oid,
          name: row.name,
          unique: row.unique,
          method: row.method,
          key_count: row.key_count,
          where: row.where,
          nulls_not_distinct: row.nulls_not_distinct,
          parts,
        },
      }
      indexes.push(current.row)
    }
    current.parts.push({
      column: row.column,
      expr: row.expr,
      option: row.option,
      opclass: row.opclass,
      collation: row.collation,
    })
  }
  return indexes
}
