import { isModelledTable, namespaceFilter, notExtensionMember } from './filter.js'

/** How a table takes part in partitioning or inheritance: its partition key, its bound, its parents. */
export interface PartitionRow {
  readonly table_oid: string
  /** `pg_get_partkeydef` of a partitioned table (`RANGE (logdate)`), else null. */
  readonly partition_by: string | null
  /** `pg_get_expr(relpartbound)` of a partition (`FOR VALUES ...`, `DEFAULT`), else null. */
  readonly bound: string | null
  /** pg_inherits parents in `inhseqno` order: the partitioned parent of a partition, or the INHERITS list. */
  readonly parents: readonly { readonly schema: string; readonly name: string }[]
  /** A partitioned table's partitions that are foreign tables (not modelled), or null. */
  readonly foreign_partitions?: readonly { readonly schema: string; readonly name: string }[] | null
}

/**
 * Partitioned tables, partitions and inheritance children, in one query. Tables that are none of these have
 * no row. The bound is printed as pg_dump prints it, but without naming the partition (relid 0): a bound holds
 * constants only (PostgreSQL evaluates its expressions when the partition is created), and with the partition,
 * pg_get_expr opens it, which on a new session builds its relation cache entry (production-shaped schema of bench/,
 * 400 partitions: 21 -> 15 ms of a new session's server CPU, the same rows).
 */
export const PARTITIONS_SQL = `
select c.oid::text as table_oid,
  case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_by,
  case when c.relispartition then pg_get_expr(c.relpartbound, 0) end as bound,
  coalesce((select json_agg(json_build_object('schema', pn.nspname, 'name', p.relname) order by ih.inhseqno)
     from pg_inherits ih
     join pg_class p on p.oid = ih.inhparent
     join pg_namespace pn on pn.oid = p.relnamespace
    where ih.inhrelid = c.oid), '[]'::json) as parents,
  case when c.relkind = 'p' then (select json_agg(json_build_object('schema', fn.nspname, 'name', f.relname) order by f.oid)
     from pg_inherits ih
     join pg_class f on f.oid = ih.inhrelid and f.relkind = 'f'
     join pg_namespace fn on fn.oid = f.relnamespace
    where ih.inhparent = c.oid) end as foreign_partitions
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where ${isModelledTable('c')}
  and (c.relkind = 'p' or c.relispartition or exists (select from pg_inherits ih where ih.inhrelid = c.oid))
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_class', 'c.oid')}
order by c.oid`
