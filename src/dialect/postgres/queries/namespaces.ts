import { namespaceFilter, notExtensionMember } from './filter.js'

/** A non-system namespace other than `public`. */
export interface NamespaceRow {
  readonly oid: string
  readonly name: string
}

/** Namespaces Keel creates and drops (`public` is implied and never listed). */
export const NAMESPACES_SQL = `
select n.oid::text as oid, n.nspname as name
from pg_namespace n
where ${namespaceFilter('n')}
  and n.nspname <> 'public'
  and ${notExtensionMember('pg_namespace', 'n.oid')}
order by n.nspname`
