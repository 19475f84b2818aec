import { namespaceFilter } from './filter.js'

/** A user trigger on a table or view. */
export interface TriggerRow {
  readonly table_oid: string
  readonly schema: string
  readonly table: string
  readonly name: string
  readonly definition: string
  readonly enabled: 'O' | 'D' | 'R' | 'A'
  readonly function_schema: string
  readonly function_name: string
  /** Columns of its relation the trigger depends on (`UPDATE OF`, `WHEN`), in column order. */
  readonly columns: readonly string[]
  readonly comment: string | null
}

/**
 * Triggers of user namespaces, without the internal ones (those behind foreign keys), the clones
 * PostgreSQL keeps on partitions of a partitioned table's trigger (tgparentid, PostgreSQL 13+), and
 * those an extension created. `pg_get_triggerdef(oid, false)` names the relation schema-qualified.
 */
export const TRIGGERS_SQL = `
select t.tgrelid::text as table_oid, n.nspname as schema, c.relname as table, t.tgname as name,
  pg_get_triggerdef(t.oid, false) as definition, t.tgenabled::text as enabled,
  fn.nspname as function_schema, p.proname as function_name,
  array(select a.attname::text
     from pg_depend d
     join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
    where d.classid = 'pg_trigger'::regclass and d.objid = t.oid and d.refclassid = 'pg_class'::regclass
      and d.refobjid = t.tgrelid and d.refobjsubid > 0
    group by a.attnum, a.attname
    order by a.attnum) as columns,
  obj_description(t.oid, 'pg_trigger') as comment
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_proc p on p.oid = t.tgfoid
join pg_namespace fn on fn.oid = p.pronamespace
where not t.tgisinternal and t.tgparentid = 0
  and ${namespaceFilter('n')}
  and not exists (select from pg_depend ext_dep
    where ext_dep.classid = 'pg_trigger'::regclass and ext_dep.objid = t.oid and ext_dep.deptype = 'e')
order by n.nspname, c.relname, t.tgname`
