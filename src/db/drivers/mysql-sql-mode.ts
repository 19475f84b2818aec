/**
 * The sql_mode flags that change how SQL text is read, which Keel's sessions turn off whatever the server's
 * configuration (my.cnf `sql_mode=...`, `init_connect`): Keel writes string literals with backslash escapes
 * (`'a\\b'`, as information_schema and SHOW CREATE print them) and names with backticks, and its statement
 * splitter and parameter inlining read text the same way. Left on, NO_BACKSLASH_ESCAPES would store a
 * default `'a\\b'` as two backslashes, and ANSI_QUOTES would read a `"..."` string as a name. The
 * combination modes (ANSI, ORACLE, ...) imply ANSI_QUOTES, so they go too; their other flags (REAL_AS_FLOAT,
 * PIPES_AS_CONCAT, ...) stay, as do all the flags that judge data (STRICT_*, NO_ZERO_DATE, ...): those are
 * the server's policy, and a migration should meet them as the application does.
 * https://mariadb.com/kb/en/sql-mode/
 */
export const LEXICAL_SQL_MODES: readonly string[] = [
  'ANSI_QUOTES',
  'NO_BACKSLASH_ESCAPES',
  'ANSI',
  'DB2',
  'MAXDB',
  'MSSQL',
  'ORACLE',
  'POSTGRESQL',
]

/**
 * The sql_mode Keel's session runs with, given the one the server handed it; `undefined` when that one
 * reads SQL as Keel writes it already (no SET needed: the common case costs no round trip).
 *
 * @example
 * keelSqlMode('STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES') // 'STRICT_TRANS_TABLES'
 * keelSqlMode('STRICT_TRANS_TABLES') // undefined
 */
export function keelSqlMode(serverMode: string): string | undefined {
  const flags = serverMode.split(',').filter((flag) => flag !== '')
  const kept = flags.filter((flag) => !LEXICAL_SQL_MODES.includes(flag.toUpperCase()))
  return kept.length === flags.length ? undefined : kept.join(',')
}
