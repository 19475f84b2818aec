import { namespaceFilter, notExtensionMember } from './filter.js'

/** A rewrite rule with the relations it uses besides its own. */
export interface RuleRow {
  readonly table_oid: string
  readonly schema: string
  readonly table: string
  readonly name: string
  /** `pg_get_ruledef(oid, true)`: the whole CREATE RULE statement, with a final semicolon. */
  readonly definition: string
  readonly comment: string | null
  readonly depends_on: readonly { readonly schema: string; readonly name: string }[]
}

/**
 * Rules on tables and views, leaving out the `_RETURN` rule that implements each view. Dependencies are the
 * rule's pg_depend entries on relations other than its own (tables, views, partitioned and foreign tables).
 */
export const RULES_SQL = `
select c.oid::text as table_oid, n.nspname as schema, c.relname as table, r.rulename as name,
  pg_get_ruledef(r.oid, true) as definition,
  obj_description(r.oid, 'pg_rewrite') as comment,
  coalesce((select json_agg(distinct jsonb_build_object('schema', dn.nspname, 'name', dc.relname))
     from pg_depend d
     join pg_class dc on dc.oid = d.refobjid and dc.relkind in ('r', 'v', 'm', 'p', 'f')
     join pg_namespace dn on dn.oid = dc.relnamespace
    where d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
      and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class), '[]'::json) as depends_on
from pg_rewrite r
join pg_class c on c.oid = r.ev_class
join pg_namespace n on n.oid = c.relnamespace
where r.rulename <> '_RETURN'
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_class', 'c.oid')}
order by n.nspname, c.relname, r.rulename`
