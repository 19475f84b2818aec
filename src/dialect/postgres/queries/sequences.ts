import { namespaceFilter, notExtensionMember } from './filter.js'

/**
 * A sequence with its options (bigint values as text: they may exceed 2^53) and the column that owns it,
 * if any: deptype 'a' for `OWNED BY` and serial columns, 'i' for identity columns.
 */
export interface SequenceRow {
  readonly oid: string
  readonly schema: string
  readonly name: string
  readonly type: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
  readonly owner_kind: 'a' | 'i' | null
  readonly owner_table_oid: string | null
  readonly owner_schema: string | null
  readonly owner_table: string | null
  readonly owner_column: string | null
}

/** Every sequence, identity sequences included (the caller turns those into column identity options). */
export const SEQUENCES_SQL = `
select c.oid::text as oid, n.nspname as schema, c.relname as name, format_type(s.seqtypid, null) as type,
  s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
  s.seqcache::text as cache, s.seqcycle as cycle,
  d.deptype::text as owner_kind, d.refobjid::text as owner_table_oid,
  owner_ns.nspname as owner_schema, owner.relname as owner_table, a.attname as owner_column
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_sequence s on s.seqrelid = c.oid
left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = c.oid
  and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
left join pg_class owner on owner.oid = d.refobjid
left join pg_namespace owner_ns on owner_ns.oid = owner.relnamespace
left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
where c.relkind = 'S'
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_class', 'c.oid')}
order by n.nspname, c.relname`
