import { namespaceFilter } from './filter.js'

/** One privilege of an object, as `aclexplode` lists it (grantor left out). */
export interface PrivilegeItemRow {
  /** A role name, or `PUBLIC`. */
  readonly grantee: string
  readonly privilege: string
  readonly grantable: boolean
  /** The grantee is the owner, and this default privilege of the owner is missing from the ACL. */
  readonly revoked: boolean
}

/** The privileges of one object whose ACL is set (not NULL, which means its kind's default). */
export interface PrivilegeRow {
  readonly kind: 'table' | 'view' | 'materializedView' | 'sequence' | 'namespace' | 'routine'
  readonly schema: string
  /** The object's name (the namespace's own for a namespace). */
  readonly name: string
  /** A routine's identity arguments, else null. */
  readonly identity_args: string | null
  /**
   * Every privilege of a role other than the owner, and every default privilege of the owner (`acldefault`) that
   * the ACL lacks, marked `revoked`; sorted by grantee and privilege.
   */
  readonly privileges: readonly PrivilegeItemRow[]
}

/**
 * The privileges of relations, namespaces and routines in user namespaces, in one query for the whole database.
 * An object whose ACL is NULL holds its kind's default privileges and is not listed. A privilege granted by
 * several grantors is listed once, grantable if any grant was. Which objects are kept is decided when the rows are
 * attached to the schema (by name), so extension members and left-out tables need no filter here.
 */
export const PRIVILEGES_SQL = `
select o.kind, o.schema, o.name, o.identity_args,
  coalesce((select json_agg(json_build_object('grantee', a.grantee, 'privilege', a.privilege,
      'grantable', a.grantable, 'revoked', a.revoked) order by a.grantee, a.privilege)
    from (select case when x.grantee = 0 then 'PUBLIC' else pg_get_userbyid(x.grantee)::text end as grantee,
            x.privilege_type as privilege, bool_or(x.is_grantable) as grantable, false as revoked
          from aclexplode(o.acl) x
          where x.grantee <> o.owner
          group by 1, 2
          union all
          select pg_get_userbyid(o.owner)::text, d.privilege_type, false, true
          from aclexplode(acldefault(o.acl_kind, o.owner)) d
          where d.grantee = o.owner
            and not exists (select from aclexplode(o.acl) x
              where x.grantee = o.owner and x.privilege_type = d.privilege_type)) a), '[]'::json) as privileges
from (
  select case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materializedView'
      else 'table' end as kind,
    n.nspname as schema, c.relname::text as name, null::text as identity_args, c.relacl as acl, c.relowner as owner,
    (case c.relkind when 'S' then 's' else 'r' end)::"char" as acl_kind
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'S') and c.relacl is not null and ${namespaceFilter('n')}
  union all
  select 'namespace', n.nspname, n.nspname::text, null, n.nspacl, n.nspowner, 'n'
  from pg_namespace n
  where n.nspacl is not null and ${namespaceFilter('n')}
  union all
  select 'routine', n.nspname, p.proname::text, pg_get_function_identity_arguments(p.oid), p.proacl, p.proowner, 'f'
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  where p.proacl is not null and ${namespaceFilter('n')}
) o
order by o.kind, o.schema, o.name, o.identity_args`
