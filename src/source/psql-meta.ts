/**
 * Blanks the psql meta-commands that `pg_dump` writes around a dump since PostgreSQL 15.14 / 16.10 / 17.6
 * (`\restrict KEY` first, `\unrestrict KEY` last; CVE-2025-8714): psql reads them, the server cannot, and a
 * `pg_dump --schema-only` file is a schema source. Lines are blanked, not removed, so that error line numbers
 * still point into the file.
 */
export function stripPgDumpMeta(sql: string): string {
  return sql.replace(/^\\(?:un)?restrict(?:[ \t]+\S+)?[ \t]*$/gm, '')
}
