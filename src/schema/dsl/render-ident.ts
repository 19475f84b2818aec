/**
 * PostgreSQL keywords that are not UNRESERVED (reserved, type/function-name and column-name keywords, as
 * `pg_get_keywords()` reports them on PostgreSQL 18, a superset of 15's list). `quote_ident()` quotes these.
 */
const nonUnreservedKeywords = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case ' +
    'cast char character check coalesce collate collation column concurrently constraint create cross ' +
    'current_catalog current_date current_role current_schema current_time current_timestamp current_user dec ' +
    'decimal default deferrable desc distinct do else end except exists extract false fetch float for foreign ' +
    'freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect ' +
    'interval into is isnull join json json_array json_arrayagg json_exists json_object json_objectagg json_query ' +
    'json_scalar json_serialize json_table json_value lateral leading least left like limit localtime ' +
    'localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric offset on ' +
    'only or order out outer overlaps overlay placing position precision primary real references returning right ' +
    'row select session_user setof similar smallint some substring symmetric system_user table tablesample then ' +
    'time timestamp to trailing treat trim true union unique user using values varchar variadic verbose when ' +
    'where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot ' +
    'xmlserialize xmltable'
  ).split(' '),
)

/**
 * Renders an identifier the way PostgreSQL's `quote_ident()` does: bare when it is a lower-case identifier that
 * is not a keyword, double-quoted (with `"` doubled) otherwise. Used for column and table names that `sql`
 * templates interpolate, so that the text reads as the server prints it back.
 * @example renderIdent('email') // 'email'
 * @example renderIdent('createdAt') // '"createdAt"'
 */
export function renderIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !nonUnreservedKeywords.has(name)) return name
  return `"${name.replaceAll('"', '""')}"`
}
