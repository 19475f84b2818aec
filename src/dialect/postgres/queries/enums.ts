import { namespaceFilter, notExtensionMember } from './filter.js'

/** An enum type with its labels in sort order. */
export interface EnumRow {
  readonly oid: string
  readonly schema: string
  readonly name: string
  readonly values: readonly string[]
}

/** Enum types, labels ordered by enumsortorder (which ALTER TYPE ... ADD VALUE BEFORE keeps right). */
export const ENUMS_SQL = `
select t.oid::text as oid, n.nspname as schema, t.typname as name,
  array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as values
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
where t.typtype = 'e'
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_type', 't.oid')}
order by n.nspname, t.typname`
