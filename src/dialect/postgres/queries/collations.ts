import { namespaceFilter } from './filter.js'

/** A collation of a user namespace. */
export interface CollationRow {
  readonly schema: string
  readonly name: string
  /** pg_collation.collprovider: `c` libc, `i` ICU, `b` builtin (PostgreSQL 17+). */
  readonly provider: 'c' | 'i' | 'b'
  readonly deterministic: boolean
  readonly lc_collate: string | null
  readonly lc_ctype: string | null
  /** The ICU or builtin locale (colliculocale on PostgreSQL 15 and 16, colllocale from 17). */
  readonly locale: string | null
  /** ICU tailoring rules (PostgreSQL 16+). */
  readonly rules: string | null
  readonly comment: string | null
}

/**
 * Collations of user namespaces, without those an extension created. The columns that differ between
 * versions are read through `to_jsonb`, which yields null for a column the server does not have.
 */
export const COLLATIONS_SQL = `
select n.nspname as schema, c.collname as name, c.collprovider::text as provider,
  c.collisdeterministic as deterministic, c.collcollate as lc_collate, c.collctype as lc_ctype,
  coalesce(to_jsonb(c)->>'colllocale', to_jsonb(c)->>'colliculocale') as locale,
  to_jsonb(c)->>'collicurules' as rules,
  obj_description(c.oid, 'pg_collation') as comment
from pg_collation c
join pg_namespace n on n.oid = c.collnamespace
where ${namespaceFilter('n')}
  and not exists (select from pg_depend ext_dep
    where ext_dep.classid = 'pg_collation'::regclass and ext_dep.objid = c.oid and ext_dep.deptype = 'e')
order by n.nspname, c.collname`
