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

/**
 * Indexes on tables and materialized views. indkey, indoption, indclass and indcollation are
 * int2vector/oidvector, subscripted from 0; the parts come from one json_agg per index, so the
 * whole database is one round trip. An operator class is reported only when it is not the default
 * for its type and access method (pg_opclass.opcdefault). The operator class and collation are
 * looked up by OID in scalar subqueries: as joins inside the per-index aggregate, the planner hashed
 * all of pg_collation and pg_opclass once per index (2,000 indexes: 0.5 s of a 0.7 s query).
 */
export const INDEXES_SQL = `
select ic.oid::text as oid, i.indrelid::text as table_oid, ic.relname as name, i.indisunique as unique,
  am.amname as method, i.indnkeyatts::int as key_count,
  pg_get_expr(i.indpred, i.indrelid) as where,
  coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct,
  (select json_agg(json_build_object(
      'column', a.attname,
      'expr', case when k.attnum = 0 then pg_get_indexdef(i.indexrelid, k.ord::int, true) end,
      'option', i.indoption[k.ord - 1],
      'opclass', (select case when opcn.nspname in ('pg_catalog', 'public') then opc.opcname::text
                              else opcn.nspname || '.' || opc.opcname end
                    from pg_opclass opc join pg_namespace opcn on opcn.oid = opc.opcnamespace
                   where opc.oid = i.indclass[k.ord - 1] and not opc.opcdefault),
      'collation', case when i.indcollation[k.ord - 1] <> 0 then
        (select case when coln.nspname in ('pg_catalog', 'public') then coll.collname::text
                     else coln.nspname || '.' || coll.collname end
           from pg_collation coll join pg_namespace coln on coln.oid = coll.collnamespace
          where coll.oid = i.indcollation[k.ord - 1]
            and coll.oid <> coalesce(a.attcollation,
              (select it.typcollation from pg_attribute ia join pg_type it on it.oid = ia.atttypid
                where ia.attrelid = i.indexrelid and ia.attnum = k.ord)))
      end
    ) order by k.ord)
    from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
    left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum and k.attnum <> 0
  ) as parts
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_class c on c.oid = i.indrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_am am on am.oid = ic.relam
where c.relkind in ('r', 'm', 'p')
  -- An index attached to a partitioned parent's index is PostgreSQL's clone of it, not the partition's own.
  and not exists (select from pg_inherits ih where ih.inhrelid = i.indexrelid)
  and ${namespaceFilter('n')}
  and not exists (select from pg_constraint pc
    where pc.conindid = i.indexrelid and pc.conrelid = i.indrelid and pc.contype in ('p', 'u', 'x'))
order by i.indrelid, ic.relname`
