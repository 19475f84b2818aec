import { type CatalogTypeRow, catalogTypeColumns } from './catalog-type.js'
import { isModelledTable, namespaceFilter, notExtensionMember } from './filter.js'

/** An ordinary table. */
export interface TableRow {
  readonly oid: string
  readonly schema: string
  readonly name: string
  readonly unlogged: boolean
}

/** Ordinary, non-partition tables of user namespaces. */
export const TABLES_SQL = `
select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relpersistence = 'u' as unlogged
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where ${isModelledTable('c')}
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_class', 'c.oid')}
order by n.nspname, c.relname`

/**
 * One table column. The type is described as `CatalogTypeRow` says: `format_type` of the element type (for arrays)
 * or of the type itself, and catalog facts about that base type (typtype 'e' enum, 'd' domain) so that enums and
 * domains are recognised by catalog, not by parsing their printed names.
 */
export interface ColumnRow extends CatalogTypeRow {
  readonly table_oid: string
  readonly name: string
  readonly attnum: number
  readonly not_null: boolean
  /** The default expression, or the generation expression of a generated column. */
  readonly default_sql: string | null
  /** The sequence whose plain `nextval(...)` is the whole default, if it is. */
  readonly nextval_seq_oid: string | null
  readonly identity: '' | 'a' | 'd'
  readonly generated: '' | 's' | 'v'
  /** The column's collation when it differs from its type's default. */
  readonly collation: string | null
}

/**
 * Columns of every modelled table, in no particular order: `columnsByTable` puts each table's in attnum order.
 * (Sorted here, the server sorted every column's row with all its text: 1,000 tables, 10,000 columns, a new
 * session's server CPU 50.6 ms sorted, 42.8 ms not.) Array detection follows format_type: a type whose element
 * type names it as its array type (this leaves out int2vector and other fixed-element vectors).
 * Only a table's own columns: those a partition or INHERITS child inherits come from its parent, also when the
 * child declares them too (merged: attislocal and attinhcount > 0), as ALTER TABLE INHERIT leaves them, so that a
 * child that inherits a column compares equal however it came to.
 */
export const COLUMNS_SQL = `
select a.attrelid::text as table_oid, a.attname as name, a.attnum::int as attnum,
  ${catalogTypeColumns('a.atttypmod')},
  a.attnotnull as not_null,
  def.sql as default_sql,
  case when def.sql like 'nextval(%' then
    (select sd.refobjid::text
       from pg_depend sd
       join pg_class sq on sq.oid = sd.refobjid and sq.relkind = 'S'
      where sd.classid = 'pg_attrdef'::regclass and sd.objid = ad.oid and sd.refclassid = 'pg_class'::regclass
        and def.sql = format('nextval(%L::regclass)', sd.refobjid::regclass::text)
      limit 1)
  end as nextval_seq_oid,
  a.attidentity::text as identity,
  a.attgenerated::text as generated,
  case when a.attcollation <> t.typcollation then
    (select case when cn.nspname in ('pg_catalog', 'public') then co.collname else cn.nspname || '.' || co.collname end
       from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace
      where co.oid = a.attcollation)
  end as collation
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_type el on t.typelem <> 0 and el.oid = t.typelem and el.typarray = t.oid
join pg_type bt on bt.oid = coalesce(el.oid, t.oid)
join pg_namespace btn on btn.oid = bt.typnamespace
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
-- A default holds no column reference (PostgreSQL refuses one), so it is printed without its table (relid 0): with
-- the table, pg_get_expr opens and locks the relation to name its columns, which on a new session builds the
-- relation's cache entry, about 60 ms of server time at 1,000 tables. A generated column's expression names
-- columns, so it is printed with its table.
left join lateral (select pg_get_expr(ad.adbin, case when a.attgenerated = '' then 0 else ad.adrelid end) as sql)
  def on true
where a.attnum > 0 and not a.attisdropped and a.attislocal and a.attinhcount = 0
  and ${isModelledTable('c')}
  and ${namespaceFilter('n')}
  and ${notExtensionMember('pg_class', 'c.oid')}`
