/**
 * The parse tree the lint rules read, on every dialect: libpg_query's JSON, PostgreSQL's grammar. The rules and
 * lint's engine are written against it; PostgreSQL's statements are parsed into it whole (dialect/postgres/
 * parse-sql.ts), and MySQL's and SQLite's borrow it where the grammars read them alike (`DialectRuntime.lintSql.
 * borrowTree` of runtimes.ts's `lintTreeDialect`), beside their own parsers' verdicts. Types only: no parser loads
 * here, and this is the one file of lint that names the package.
 */
export type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from 'libpg-query'
