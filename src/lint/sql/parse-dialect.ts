import { createRequire } from 'node:module'
import type { AST } from 'node-sql-parser'
import type { Connection } from '../../db/connection.js'
import type { DialectName } from '../../dialect/runtimes.js'

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

/** The parser of each dialect whose hand-written SQL is not read by PostgreSQL's own (libpg_query). */
export function dialectParser(dialect: DialectName): StatementParser | undefined {
  return PARSERS[dialect]
}

const PARSERS: Partial<Record<DialectName, StatementParser>> = {
  mysql: parseMysqlStatement,
  sqlite: parseSqliteStatement,
}

// node-sql-parser is CommonJS, one build per dialect: only MySQL's grammar is loaded (272 KB), not all fifteen.
const require = createRequire(import.meta.url)
let mysqlParser: { astify(sql: string, options?: object): AST | AST[] } | undefined

/**
 * Every statement that MySQL 8 and MariaDB 10.x/11.x start with (their manuals' "SQL Statements" chapters, with the compound statements of a routine body). A
 * statement the parser refuses is `invalid` only when its first word is none of these: then no MySQL server
 * would run it, whatever follows.
 */
const MYSQL_VERBS = new Set(
  `alter analyze backup begin binlog cache call change check checksum clone commit create deallocate declare delete
  delimiter desc describe do drop execute explain flush get grant handler help import insert install kill load lock
  optimize prepare purge release rename repair replace reset resignal restart revoke rollback savepoint select set
  show shutdown signal start stop table truncate uninstall unlock update use values with xa
  case close fetch if iterate leave loop open repeat return while`.split(/\s+/),
)

/**
 * The statements whose parts the MySQL rules read from the tree (table copies, foreign keys, indexes, character
 * sets): CREATE TABLE, ALTER TABLE, CREATE INDEX. A refused one is worth a warning that lint missed it. The others
 * (views, routines, triggers, DROP, RENAME, INSERT, UPDATE, ...) lose nothing: no MySQL rule reads their parts, and
 * the rules that read them use PostgreSQL's tree where the grammars agree.
 */
const MYSQL_CHECKED =
  /^(create\s+(or\s+replace\s+)?(temporary\s+)?table|alter\s+(online\s+|ignore\s+)*table|create\s+(online\s+)?(unique\s+|fulltext\s+|spatial\s+)?index)\b/i

/**
 * A MySQL/MariaDB statement through node-sql-parser's MySQL grammar. Executable comments (`/*!40101 SET ... *\/`)
 * are read as the server reads them, by their content. A refused statement whose first word starts no MySQL
 * statement is `invalid`; one that only configures the session (`SET NAMES`, `USE`) is `parsed` with no tree, as
 * no rule reads those.
 * A refused statement other than CREATE TABLE, ALTER TABLE or CREATE INDEX is `parsed` with no tree, for the same
 * reason.
 */
export function parseMysqlStatement(sql: string): DialectParse {
  const executable = /^\/\*!(?:M!)?\d*\s*([\s\S]*?)\s*\*\/$/.exec(sql.trim())
  const text = executable?.[1] ?? sql
  const shift = executable === null ? 0 : sql.indexOf(text)
  if (mysqlParser === undefined) mysqlParser = new (require('node-sql-parser/build/mysql.js').Parser)()
  const parser = mysqlParser as NonNullable<typeof mysqlParser>
  try {
    const ast = parser.astify(text, { database: 'MySQL' })
    const only = Array.isArray(ast) ? ast[0] : ast
    return only === undefined ? { kind: 'parsed' } : { kind: 'parsed', ast: only }
  } catch (error) {
    const word = /^[A-Za-z]+/.exec(text.trim())?.[0]?.toLowerCase() ?? ''
    const stop = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset
    const message = firstSentence(error)
    // A statement may start with a parenthesis (`(SELECT ...) UNION ...`): only a word is judged.
    if (word !== '' && !MYSQL_VERBS.has(word))
      return {
        kind: 'invalid',
        message: `"${word}" starts no MySQL statement`,
        offset: shift + text.indexOf(text.trim()),
      }
    if (!MYSQL_CHECKED.test(text.trim())) return { kind: 'parsed' }
    return { kind: 'refused', message, offset: shift + (stop ?? 0) }
  }
}

/** pegjs lists every token it expected; the sentence with what it found is the useful part. */
function firstSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const found = /but (.+) found\.?$/.exec(message)
  return found === null ? message.slice(0, 200) : `unexpected ${found[1]}`
}

let sqliteDb: { prepare(sql: string): unknown } | undefined

/**
 * A SQLite statement through SQLite's own parser (sqlite3_prepare on an empty in-memory database, through
 * better-sqlite3, Keel's SQLite driver): a syntax error is `invalid`, at the token SQLite names. Preparing also
 * resolves names, which fail on the empty database ("no such table"); those are not syntax errors, and the
 * statement is taken as parsed (the migration's run judges them).
 */
export function parseSqliteStatement(sql: string): DialectParse {
  if (sqliteDb === undefined) {
    const Database = require('better-sqlite3') as new (file: string) => { prepare(sql: string): unknown }
    sqliteDb = new Database(':memory:')
  }
  const db = sqliteDb
  try {
    db.prepare(sql)
    return { kind: 'parsed' }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!/syntax error|incomplete input|unrecognized token/.test(message)) return { kind: 'parsed' }
    const near = /near "([^"]*)"|unrecognized token: "([^"]*)"/.exec(message)
    const token = near?.[1] ?? near?.[2]
    const at = token === undefined || token === '' ? -1 : tokenAt(db, sql, token, message)
    return { kind: 'invalid', message, offset: at === -1 ? (/incomplete/.test(message) ? sql.length : 0) : at }
  }
}

/**
 * Where SQLite stopped: the occurrence of the token it names whose prefix of the statement gives the same error
 * (SQLite does not say the offset through better-sqlite3; a prefix ending before the bad token is incomplete).
 */
function tokenAt(db: { prepare(sql: string): unknown }, sql: string, token: string, message: string): number {
  for (let at = sql.indexOf(token); at !== -1; at = sql.indexOf(token, at + 1)) {
    try {
      db.prepare(sql.slice(0, at + token.length))
    } catch (error) {
      if (error instanceof Error && error.message === message) return at
    }
  }
  return -1
}

/** The live database as the judge of the statements the dialect's parser refuses, where the dialect has one. */
export function serverSyntaxOf(dialect: DialectName, conn: Pick<Connection, 'exec'>): ServerSyntax | undefined {
  return dialect === 'mysql' ? mysqlServerSyntax(conn) : undefined
}

/** A database's own verdict on a statement's syntax: its message and the 1-based line in the statement, or none. */
export type ServerSyntax = (sql: string) => Promise<{ readonly message: string; readonly line: number } | undefined>

/**
 * The MySQL/MariaDB server as the judge of a statement its grammar in node-sql-parser refuses: `PREPARE` parses
 * a statement without running it, and ER_PARSE_ERROR (1064) or ER_SYNTAX_ERROR (1149) means that the server itself
 * refuses it. Any other error (a missing table, a statement PREPARE does not support) is no syntax error.
 */
export function mysqlServerSyntax(conn: Pick<Connection, 'exec'>): ServerSyntax {
  return async (sql) => {
    // A string literal as MySQL reads it with Keel's session settings (NO_BACKSLASH_ESCAPES off; db/drivers/mysql).
    const literal = `'${sql.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
    try {
      await conn.exec(`PREPARE keel_lint_syntax FROM ${literal}`)
    } catch (error) {
      const errno = (error as { errno?: number }).errno
      if (errno !== 1064 && errno !== 1149) return undefined
      const message = error instanceof Error ? error.message : String(error)
      return { message, line: Number(/at line (\d+)\s*$/.exec(message)?.[1] ?? 1) }
    }
    await conn.exec('DEALLOCATE PREPARE keel_lint_syntax')
    return undefined
  }
}
