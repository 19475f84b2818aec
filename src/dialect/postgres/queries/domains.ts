import { type CatalogTypeRow, catalogTypeColumns } from './catalog-type.js'
import { namespaceFilter, notExtensionMember } from './filter.js'

/** A domain's check constraint. */
export interface DomainCheckRow {
  readonly name: string
  /** The condition on VALUE, as `pg_get_expr` prints it (what `CHECK (...)` wraps). */
  readonly expr: string
  readonly comment: string | null
}

/** A domain with its base type described as the columns query describes a column's type. */
export interface DomainRow extends CatalogTypeRow {
  readonly oid: string
  readonly schema: string
  readonly name: string
  readonly not_null: boolean
  readonly default_sql: string | null
  /** The domain's collation when it differs from its base type's. */
  readonly collation: string | null
  readonly checks: readonly DomainCheckRow[]
  readonly comment: string | null
}

/**
 * Domains of user namespaces. PostgreSQL 17+ also lists a domain's NOT NULL as a constraint (contype
 * 'n'); it is left out here, since `typnotnull` states it on every version.
 */
export const DOMAINS_SQL = `
select t.oid::text as oid, n.nspname as schema, t.typname as name,
  ${catalogTypeColumns('t.typtypmod')},
  t.typnotnull as not_null,
  pg_get_expr(t.typdefaultbin, 0) as default_sql,
  case when t.typcollation <> base.typcollation then
    (select case when cn.nspname in ('pg_catalog', 'public') then co.collname else cn.nspname || '.' || co.collname end
       from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace
      where co.oid = t.typcollation)
  end as collation,
  coalesce((select json_agg(json_build_object('name', c.conname, 'expr', pg_get_expr(c.conbin, 0),
      'comment', obj_description(c.oid, 'pg_constraint')) order by c.conname)
     from pg_constraint c where c.contypid = t.oid and c.contype = 'c'), '[]'::json) as checks,
  obj_description(t.oid, 'pg_type') as comment
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
join pg_type base on base.oid = t.typbasetype
left join pg_type el on base.typelem <> 0 and el.oid = base.typelem and el.typarray = base.oid
join pg_type bt on bt.oid = coalesce(el.oid, base.oid)
join pg_namespace btn on btn.oid = bt.typnamespace
where t.typtype = 'd'
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_type', 't.oid')}
order by n.nspname, t.typname`
