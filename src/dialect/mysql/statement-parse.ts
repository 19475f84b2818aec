import { createRequire } from 'node:module'
import type { AST } from 'node-sql-parser'
import type { DialectParse } from '../../lint/sql/parse-dialect.js'
import { astifyMysql } from './lint-readable.js'

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
  /^(create\s+(or\s+replace\s+)?(temporary\s+)?table|alter\s+(online\s+|ignore\s+)*table|create\s+(or\s+replace\s+)?(online\s+|offline\s+)?(unique\s+|fulltext\s+|spatial\s+)?index)\b/i

/**
 * A MySQL/MariaDB statement through node-sql-parser's MySQL grammar. Executable comments (`/*!40101 SET ... *\/`)
 * are read as the server reads them, by their content. Only CREATE TABLE, ALTER TABLE and CREATE INDEX go to the
 * grammar (the only trees a rule reads): any other statement is `parsed` with no tree, or `invalid` when its first
 * word starts no MySQL statement. A refused CREATE TABLE, ALTER TABLE or CREATE INDEX is `refused`.
 */
export function parseMysqlStatement(sql: string): DialectParse {
  const executable = /^\/\*!(?:M!)?\d*\s*([\s\S]*?)\s*\*\/$/.exec(sql.trim())
  const text = executable?.[1] ?? sql
  const shift = executable === null ? 0 : sql.indexOf(text)
  const word = /^[A-Za-z]+/.exec(text.trim())?.[0]?.toLowerCase() ?? ''
  // A statement may start with a parenthesis (`(SELECT ...) UNION ...`): only a word is judged.
  const invalid = (): DialectParse => ({
    kind: 'invalid',
    message: `"${word}" starts no MySQL statement`,
    offset: shift + text.indexOf(text.trim()),
  })
  // No rule reads the tree of any other statement, and the grammar takes seconds per megabyte of INSERT (seed data).
  if (!MYSQL_CHECKED.test(text.trim())) return word !== '' && !MYSQL_VERBS.has(word) ? invalid() : { kind: 'parsed' }
  if (mysqlParser === undefined) mysqlParser = new (require('node-sql-parser/build/mysql.js').Parser)()
  const parser = mysqlParser as NonNullable<typeof mysqlParser>
  try {
    // Spellings the grammar lacks are respelled first (lint-readable.ts).
    const ast = astifyMysql(parser, text) as AST | AST[] | undefined
    const only = Array.isArray(ast) ? ast[0] : ast
    return only === undefined ? { kind: 'parsed' } : { kind: 'parsed', ast: only }
  } catch (error) {
    const stop = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset
    return { kind: 'refused', message: firstSentence(error), offset: shift + (stop ?? 0) }
  }
}

/** pegjs lists every token it expected; the sentence with what it found is the useful part. */
function firstSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const found = /but (.+) found\.?$/.exec(message)
  return found === null ? message.slice(0, 200) : `unexpected ${found[1]}`
}
