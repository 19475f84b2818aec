/** An installed extension. */
export interface ExtensionRow {
  readonly name: string
  readonly schema: string
  readonly version: string
}

/**
 * Installed extensions, except plpgsql, which every database has from its template. The system-namespace
 * filter does not apply (an extension may live in pg_catalog); the caller's include and exclude lists do.
 */
export const EXTENSIONS_SQL = `
select e.extname as name, n.nspname as schema, e.extversion as version
from pg_extension e
join pg_namespace n on n.oid = e.extnamespace
where e.extname <> 'plpgsql'
  and ($1::text[] is null or n.nspname = any($1::text[]))
  and not (n.nspname = any($2::text[]))
order by e.extname`
