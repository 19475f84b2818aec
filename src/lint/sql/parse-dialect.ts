import type { AST } from 'node-sql-parser'
import type { Connection } from '../../db/connection.js'
import type { DialectName } from '../../dialect/runtimes.js'
import { loadRuntime, runtimeOf } from '../../dialect/runtimes.js'

/**
 * What a dialect's own parser made of one statement of a MySQL/MariaDB or SQLite migration:
 * - `parsed`: read; `ast` is node-sql-parser's tree (MySQL; absent for SQLite, whose rules read the borrowed
 *   PostgreSQL tree where the grammars agree),
 * - `refused`: the parser Keel uses refused it, but the database may accept it (node-sql-parser does not cover all
 *   of MySQL: `ALTER COLUMN ... SET DEFAULT`, `CONVERT TO CHARACTER SET`, `PARTITION BY` are refused): the rules
 *   could not read it, which the `require-parsable-statement` rule reports,
 * - `invalid`: the database itself would refuse it (its first word is no statement of the dialect, or SQLite's own
 *   parser reports a syntax error): `keel lint` stops with `error[SQL_SYNTAX]` at its line, as on PostgreSQL.
 *
 * `offset` is the 0-based character offset in the statement's text of where the parser stopped.
 */
export type DialectParse =
  | { readonly kind: 'parsed'; readonly ast?: AST }
  | { readonly kind: 'refused' | 'invalid'; readonly message: string; readonly offset: number }

/** A dialect's statement parser: one statement's text (without its `;`) in, its verdict out. */
export type StatementParser = (sql: string) => DialectParse

/**
 * The parser of a dialect whose hand-written SQL is not read by PostgreSQL's own (libpg_query): its
 * `DialectRuntime.lintSql.parser`, loaded on demand; undefined for a dialect without one.
 */
export async function loadDialectParser(dialect: DialectName): Promise<StatementParser | undefined> {
  return (await loadRuntime(dialect)).lintSql?.parser?.load()
}

/**
 * The live database as the judge of the statements the dialect's parser refuses, where the dialect has one
 * (`DialectRuntime.lintSql.serverSyntax`). Its runtime is loaded: the driver of `conn` loaded it.
 */
export function serverSyntaxOf(dialect: DialectName, conn: Pick<Connection, 'exec'>): ServerSyntax | undefined {
  return runtimeOf(dialect).lintSql?.serverSyntax?.(conn)
}

/** A database's own verdict on a statement's syntax: its message and the 1-based line in the statement, or none. */
export type ServerSyntax = (sql: string) => Promise<{ readonly message: string; readonly line: number } | undefined>
