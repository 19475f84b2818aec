import { isModelledTable, namespaceFilter } from './filter.js'

/** One policy, from pg_policy. */
export interface PolicyItemRow {
  readonly name: string
  readonly permissive: boolean
  /** pg_policy.polcmd: `*` all, `r` SELECT, `a` INSERT, `w` UPDATE, `d` DELETE. */
  readonly command: '*' | 'r' | 'a' | 'w' | 'd'
  /** Role names, `PUBLIC` for every role; sorted. */
  readonly roles: readonly string[]
  readonly using: string | null
  readonly with_check: string | null
  readonly comment: string | null
}

/** A table with row-level security switched on, or with policies. */
export interface RowSecurityRow {
  readonly schema: string
  readonly name: string
  readonly enabled: boolean
  readonly forced: boolean
  /** Sorted by name. */
  readonly policies: readonly PolicyItemRow[]
}

/** Row-level security switches and policies of every modelled table that has either, in one query. */
export const ROW_SECURITY_SQL = `
select n.nspname as schema, c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
  coalesce((select json_agg(json_build_object('name', p.polname, 'permissive', p.polpermissive,
      'command', p.polcmd::text,
      'roles', (select json_agg(r.name order by r.name)
                  from (select case when role = 0 then 'PUBLIC' else pg_get_userbyid(role)::text end as name
                        from unnest(p.polroles) role) r),
      'using', pg_get_expr(p.polqual, p.polrelid), 'with_check', pg_get_expr(p.polwithcheck, p.polrelid),
      'comment', obj_description(p.oid, 'pg_policy')) order by p.polname)
    from pg_policy p where p.polrelid = c.oid), '[]'::json) as policies
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where ${isModelledTable('c')}
  and ${namespaceFilter('n')}
  and (c.relrowsecurity or c.relforcerowsecurity or exists (select from pg_policy p where p.polrelid = c.oid))
order by n.nspname, c.relname`
