import { namespaceFilter, notExtensionMember } from './filter.js'

/** A view or materialized view with the relations its rewrite rule reads. */
export interface ViewRow {
  readonly oid: string
  readonly schema: string
  readonly name: string
  readonly materialized: boolean
  readonly definition: string
  readonly depends_on: readonly { readonly schema: string; readonly name: string }[]
}

/**
 * Views and materialized views. Dependencies come from pg_depend entries of the view's pg_rewrite rule
 * on other relations (a view's rule also depends on the view itself, which is left out), limited to
 * tables, views, materialized views, partitioned and foreign tables (not sequences it calls nextval on).
 */
export const VIEWS_SQL = `
select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
  pg_get_viewdef(c.oid, true) as definition,
  coalesce((select json_agg(distinct jsonb_build_object('schema', rn.nspname, 'name', rc.relname))
     from pg_rewrite r
     join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
       and d.refclassid = 'pg_class'::regclass and d.refobjid <> c.oid
     join pg_class rc on rc.oid = d.refobjid and rc.relkind in ('r', 'v', 'm', 'p', 'f')
     join pg_namespace rn on rn.oid = rc.relnamespace
    where r.ev_class = c.oid), '[]'::json) as depends_on
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('v', 'm')
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_class', 'c.oid')}
order by n.nspname, c.relname`
