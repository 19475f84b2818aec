import { namespaceFilter } from './filter.js'

/** An object of a user namespace that Keel does not model. */
export interface UnmanagedRow {
  /** What it is, in PostgreSQL's words: `composite type`, `operator class`, `foreign table`, ... */
  readonly kind: string
  readonly schema: string | null
  /** Its name; for a column privilege `table.column`, for default privileges the role they are for. */
  readonly name: string
}

/** Objects of `catalog` that no extension created (those come and go with their extension). */
const own = (catalog: string, oid: string) => `not exists (select from pg_depend e
    where e.classid = '${catalog}'::regclass and e.objid = ${oid} and e.deptype = 'e')`

/**
 * What introspection does not model, so that `inspect` and `diff` can name it instead of passing over it in silence:
 * types other than enums and domains, operators and their classes and families, text search objects, conversions,
 * extended statistics, foreign tables, foreign servers and wrappers, event triggers, publications, default
 * privileges and column privileges. Objects an extension created are left out. Keel never drops any of them: they
 * are not in its schema, so no diff can remove them.
 */
export const UNMANAGED_SQL = `
select kind, schema, name from (
  select case t.typtype when 'c' then 'composite type' when 'r' then 'range type' when 'm' then 'multirange type'
      else 'base type' end as kind, n.nspname as schema, t.typname as name
  from pg_type t join pg_namespace n on n.oid = t.typnamespace
  where t.typtype in ('b', 'c', 'r', 'm') and ${namespaceFilter('n')} and ${own('pg_type', 't.oid')}
    and (t.typtype <> 'c' or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
    and not (t.typtype = 'b' and t.typcategory = 'A' and t.typelem <> 0)
    and not (t.typtype = 'm' and exists (select from pg_range r where r.rngmultitypid = t.oid
      and exists (select from pg_depend e where e.classid = 'pg_type'::regclass and e.objid = r.rngtypid and e.deptype = 'e')))
  union all
  select 'operator', n.nspname, o.oprname || '(' || format_type(o.oprleft, null) || ', ' || format_type(o.oprright, null) || ')'
  from pg_operator o join pg_namespace n on n.oid = o.oprnamespace
  where ${namespaceFilter('n')} and ${own('pg_operator', 'o.oid')}
  union all
  select 'operator class', n.nspname, c.opcname
  from pg_opclass c join pg_namespace n on n.oid = c.opcnamespace
  where ${namespaceFilter('n')} and ${own('pg_opclass', 'c.oid')}
  union all
  select 'operator family', n.nspname, f.opfname
  from pg_opfamily f join pg_namespace n on n.oid = f.opfnamespace
  where ${namespaceFilter('n')} and ${own('pg_opfamily', 'f.oid')}
  union all
  select 'text search configuration', n.nspname, c.cfgname
  from pg_ts_config c join pg_namespace n on n.oid = c.cfgnamespace
  where ${namespaceFilter('n')} and ${own('pg_ts_config', 'c.oid')}
  union all
  select 'text search dictionary', n.nspname, d.dictname
  from pg_ts_dict d join pg_namespace n on n.oid = d.dictnamespace
  where ${namespaceFilter('n')} and ${own('pg_ts_dict', 'd.oid')}
  union all
  select 'conversion', n.nspname, c.conname
  from pg_conversion c join pg_namespace n on n.oid = c.connamespace
  where ${namespaceFilter('n')} and ${own('pg_conversion', 'c.oid')}
  union all
  select 'statistics object', n.nspname, s.stxname
  from pg_statistic_ext s join pg_namespace n on n.oid = s.stxnamespace
  where ${namespaceFilter('n')}
  union all
  select 'foreign table', n.nspname, c.relname
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'f' and ${namespaceFilter('n')} and ${own('pg_class', 'c.oid')}
  union all
  select 'column privilege', n.nspname, c.relname || '.' || a.attname
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
  where a.attacl is not null and a.attnum > 0 and not a.attisdropped and ${namespaceFilter('n')}
  union all
  select 'foreign server', null, s.srvname from pg_foreign_server s where ${own('pg_foreign_server', 's.oid')}
  union all
  select 'foreign-data wrapper', null, w.fdwname from pg_foreign_data_wrapper w
  where ${own('pg_foreign_data_wrapper', 'w.oid')}
  union all
  select 'event trigger', null, t.evtname from pg_event_trigger t where ${own('pg_event_trigger', 't.oid')}
  union all
  select 'publication', null, p.pubname from pg_publication p
  union all
  select 'default privileges', n.nspname, pg_get_userbyid(d.defaclrole) from pg_default_acl d
  left join pg_namespace n on n.oid = d.defaclnamespace
  where n.oid is null or ${namespaceFilter('n')}
) unmanaged
order by kind, schema nulls first, name`
