/**
 * SQL fragments shared by the catalog queries. Every query takes the same two parameters:
 * `$1` the namespaces to keep (`text[]`, or null for all) and `$2` the namespaces to leave out (`text[]`).
 * The fragments name fixed aliases, never user input, so composing them is safe.
 */

/**
 * Keeps user namespaces only. `pg_catalog`, `pg_toast*` and `pg_temp*` all start with `pg_`, a prefix
 * PostgreSQL reserves for system schemas (CREATE SCHEMA rejects it), so one pattern covers them.
 */
export function namespaceFilter(alias: string): string {
  return `${alias}.nspname !~ '^pg_' and ${alias}.nspname <> 'information_schema'
    and ($1::text[] is null or ${alias}.nspname = any($1::text[]))
    and not (${alias}.nspname = any($2::text[]))`
}

/** Leaves out objects created by an extension (hstore's types, citext's functions): pg_depend deptype 'e'. */
export function notExtensionMember(catalog: 'pg_class' | 'pg_type' | 'pg_namespace', oid: string): string {
  return `not exists (select from pg_depend ext_dep
    where ext_dep.classid = '${catalog}'::regclass and ext_dep.objid = ${oid} and ext_dep.deptype = 'e')`
}

/**
 * The tables Keel models: ordinary tables (partitions and inheritance children included) and partitioned
 * tables (relkind 'p'). What a child inherits is left out by the column, constraint and index queries.
 */
export function isModelledTable(alias: string): string {
  return `${alias}.relkind in ('r', 'p')`
}
