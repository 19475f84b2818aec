/**
 * How the column and domain queries describe a type: the element type for arrays (PostgreSQL does not distinguish
 * `int[]` from `int[][]`), else the type itself, with `format_type` of it and the catalog facts that say what it is.
 * The names and the schema come back only where they are read (an enum's name, a domain's qualified name, a
 * schema other than pg_catalog): a built-in type, most columns of most schemas, carries none of them, so that the
 * 10,000 columns of 1,000 tables are not 30,000 strings more for the client to parse.
 */
export interface CatalogTypeRow {
  readonly is_array: boolean
  /** `format_type(oid, typmod)` of the (element) type, e.g. `character varying(20)` or `app.mood`. */
  readonly base_sql: string
  /** pg_type.typtype: 'b' base, 'e' enum, 'd' domain, 'c' composite, 'r' range, 'm' multirange, 'p' pseudo. */
  readonly base_typtype: string
  /** The type's schema; null for pg_catalog. */
  readonly base_schema: string | null
  /** An enum's name; null for other types. */
  readonly base_name: string | null
  /** A domain's `schema.name`, each part quoted by the server only where needed; null for other types. */
  readonly base_qualified: string | null
}

/**
 * The select-list of `CatalogTypeRow` for the type joined as `bt` (the element type for arrays, else the type), its
 * namespace `btn`, and `el` (the element type, joined only for arrays) with `typmod`. Fixed aliases, no user input.
 */
export function catalogTypeColumns(typmod: string): string {
  return `el.oid is not null as is_array,
  format_type(bt.oid, ${typmod}) as base_sql,
  bt.typtype::text as base_typtype,
  nullif(btn.nspname, 'pg_catalog') as base_schema,
  case when bt.typtype = 'e' then bt.typname end as base_name,
  case when bt.typtype = 'd' then quote_ident(btn.nspname) || '.' || quote_ident(bt.typname) end as base_qualified`
}
