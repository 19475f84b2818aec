import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { astifyMysql, type MysqlGrammar, readableForParser } from './lint-readable.js'

const require = createRequire(import.meta.url)
const grammar = new (require('node-sql-parser/build/mysql.js').Parser)() as MysqlGrammar

/** The statement as the parser is given it, spaces collapsed. */
const readable = (sql: string) => readableForParser(sql).text.replace(/\s+/g, ' ').trim()

describe('readableForParser', () => {
  it('respells types the grammar lacks, keeping column names that look like them', () => {
    expect(readable('CREATE TABLE a (`Name` NVARCHAR(120), code NCHAR(3) NOT NULL, ok BOOL, r DOUBLE PRECISION)')).toBe(
      'CREATE TABLE a (`Name` VARCHAR (120), code CHAR (3) NOT NULL, ok BOOLEAN , r DOUBLE )',
    )
    expect(readable('ALTER TABLE a ADD COLUMN uuid UUID, ADD nchar INET6, MODIFY COLUMN s SERIAL')).toBe(
      'ALTER TABLE a ADD COLUMN uuid BINARY(16) , ADD nchar BINARY(16) , MODIFY COLUMN s BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE',
    )
    expect(readable("CREATE TABLE a (nchar INT, bool INT, c VARCHAR(9) DEFAULT 'NVARCHAR(3)')")).toBe(
      "CREATE TABLE a (nchar INT, bool INT, c VARCHAR(9) DEFAULT 'NVARCHAR(3)')",
    )
  })

  it("blanks MariaDB's words that change nothing the tree says, and ALTER TABLE parts the rules do not read", () => {
    expect(
      readable('ALTER ONLINE TABLE a WAIT 5 ADD COLUMN IF NOT EXISTS b INT INVISIBLE, ADD INDEX IF NOT EXISTS i (b)'),
    ).toBe('ALTER TABLE a ADD COLUMN b INT , ADD INDEX i (b)')
    expect(readable('ALTER TABLE a ALTER COLUMN b SET DEFAULT 1, ADD INDEX i (b), RENAME INDEX j TO k')).toBe(
      'ALTER TABLE a ADD INDEX i (b)',
    )
    expect(readableForParser('ALTER TABLE a CONVERT TO CHARACTER SET utf8mb4, FORCE').nothingToRead).toBe(true)
    expect(
      readableForParser('ALTER TABLE a REORGANIZE PARTITION p1 INTO (PARTITION p2 VALUES LESS THAN (9))').nothingToRead,
    ).toBe(true)
    expect(readable('CREATE OR REPLACE UNIQUE INDEX IF NOT EXISTS u ON a (b)')).toBe('CREATE UNIQUE INDEX u ON a (b)')
  })

  it('maps an offset in the respelled text back to the statement', () => {
    const sql = 'ALTER TABLE a ADD COLUMN IF NOT EXISTS b NVARCHAR(9), ADD bogus thing'
    const r = readableForParser(sql)
    const at = r.text.indexOf('thing')
    expect(sql.slice(r.original(at))).toBe('thing')
    expect(r.original(r.text.indexOf('VARCHAR'))).toBe(sql.indexOf('NVARCHAR'))
  })
})

describe('astifyMysql', () => {
  it('reads a CREATE TABLE whose table options or partitions the grammar refuses, from its definitions', () => {
    const tree = astifyMysql(
      grammar,
      'CREATE TABLE p (id INT NOT NULL, d DATE, PRIMARY KEY (id, d)) ENGINE=InnoDB STATS_PERSISTENT=0 PARTITION BY RANGE (YEAR(d)) (PARTITION p0 VALUES LESS THAN MAXVALUE)',
    ) as { type: string; create_definitions: unknown[] }
    expect(tree.type).toBe('create')
    expect(tree.create_definitions).toHaveLength(3)
  })

  it("throws the parser's refusal at its place in the statement, naming the word found there", () => {
    const sql = 'ALTER TABLE IF EXISTS users\n  ALTER COLUMN a DROP DEFAULT,\n  ADD COLUMN (nick VARCHAR(40), plan INT)'
    let error: { message: string; location: { start: { offset: number } } } | undefined
    try {
      astifyMysql(grammar, sql)
    } catch (e) {
      error = e as typeof error
    }
    expect(error?.message).toMatch(/but "\(" found\.$/)
    expect(sql.slice(error?.location.start.offset)).toBe('(nick VARCHAR(40), plan INT)')
  })
})
