import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findingsOf, lintOk } from '../../../test/support/lint.js'
import { lintSqlText } from '../lint-migration.js'

const ID = 'require-parsable-statement'
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures')
const mysql = { dialect: 'mysql' } as const

describe(ID, () => {
  it('warns where the MySQL parser stopped in a statement that changes schema or data', async () => {
    const findings = await findingsOf(
      'CREATE TABLE t (a INT);\n\nALTER TABLE IF EXISTS t\n  ALTER COLUMN a SET DEFAULT 3,\n  ADD COLUMN (b INT, c INT);',
      ID,
      mysql,
    )
    expect(findings.map((f) => [f.severity, f.line, f.column, f.message])).toEqual([
      [
        'warning',
        5,
        14,
        'lint\'s MySQL parser stopped here (unexpected "("), so the MySQL rules did not check this statement',
      ],
    ])
  })

  it('leaves what it reads, and session settings it does not, alone', async () => {
    await lintOk(
      'ALTER TABLE t MODIFY a BIGINT, ALGORITHM=INPLACE, LOCK=NONE;\nSET NAMES utf8mb4;\n/*!40101 SET @x = 1 */;',
      ID,
      mysql,
    )
  })

  it("reads the corpus's MySQL schemas (Sakila, Chinook) whole", async () => {
    for (const fixture of [
      'sakila/mysql-official/sakila-schema.sql',
      'chinook/Chinook_MySql.schema.sql',
      'chinook/Chinook_MySql_AutoIncrementPKs.schema.sql',
    ])
      await lintOk(readFileSync(join(FIXTURES, fixture), 'utf8'), ID, mysql)
  })

  it('reads typical hand-written MySQL and MariaDB DDL', async () => {
    await lintOk(
      [
        'ALTER TABLE users ADD COLUMN age INT, ALGORITHM=INPLACE, LOCK=NONE;',
        'ALTER TABLE users ADD INDEX idx_email (email) USING BTREE, ALGORITHM=INPLACE, LOCK=NONE;',
        'CREATE INDEX idx_name USING HASH ON users (name(10));',
        'ALTER TABLE posts ADD FULLTEXT INDEX ft_body (body) WITH PARSER ngram;',
        "CREATE TABLE g (a INT, b INT GENERATED ALWAYS AS (a + 1) VIRTUAL, c JSON, d VARCHAR(20) AS (c->>'$.n') STORED);",
        'CREATE TABLE p (id INT NOT NULL, d DATE NOT NULL, PRIMARY KEY (id, d)) PARTITION BY RANGE (YEAR(d)) (PARTITION p0 VALUES LESS THAN MAXVALUE);',
        'ALTER TABLE p REORGANIZE PARTITION p0 INTO (PARTITION p1 VALUES LESS THAN (2030), PARTITION p2 VALUES LESS THAN MAXVALUE);',
        'ALTER TABLE users ALTER COLUMN plan SET DEFAULT 1, ALTER INDEX idx_email INVISIBLE, RENAME INDEX a TO b;',
        'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
        'ALTER ONLINE TABLE users WAIT 5 ADD COLUMN IF NOT EXISTS id2 UUID, ADD COLUMN ip INET6, ADD COLUMN ok BOOL;',
        'CREATE OR REPLACE TABLE c (id SERIAL, geo POINT NOT NULL SRID 4326, n NCHAR(3)) ENGINE=InnoDB TABLESPACE ts1 STATS_PERSISTENT=0;',
        'CREATE TABLE v (id INT) WITH SYSTEM VERSIONING;',
        'CREATE TRIGGER tr BEFORE INSERT ON users FOR EACH ROW BEGIN IF NEW.a < 0 THEN SET NEW.a = 0; END IF; END;',
        'CREATE PROCEDURE pr(IN x INT) BEGIN DECLARE y INT DEFAULT 0; SELECT x INTO y; END;',
      ].join('\n'),
      ID,
      mysql,
    )
  })

  it('never throws on what it cannot read: an unclosed parenthesis, deep nesting', async () => {
    const findings = await findingsOf(
      `CREATE TABLE t (a INT;\nALTER TABLE t ADD COLUMN b INT DEFAULT (${'('.repeat(2000)}1${')'.repeat(2000)});`,
      ID,
      mysql,
    )
    expect(findings.map((f) => f.line)).toEqual([1, 2])
  })

  it('stops with SQL_SYNTAX at file:line:column for what no MySQL server runs (exit 2)', async () => {
    await expect(
      lintSqlText('m.sql', 'CREATE TABLE t (a INT);\n\n  CRATE TABLE u (b INT);', mysql),
    ).rejects.toMatchObject({
      code: 'SQL_SYNTAX',
      message: 'm.sql:3:3: "crate" starts no MySQL statement',
    })
  })

  it("checks SQLite with SQLite's own parser: a syntax error is SQL_SYNTAX at its token, valid SQLite passes", async () => {
    const sqlite = { dialect: 'sqlite' } as const
    await expect(
      lintSqlText(
        'm.sql',
        'create table t (id integer primary key autoincrement) strict;\ncreate table u (a int,\n  b int,, c);',
        sqlite,
      ),
    ).rejects.toMatchObject({ code: 'SQL_SYNTAX', message: 'm.sql:3:9: near ",": syntax error' })
    // Names that do not exist on an empty database are not syntax errors.
    await lintOk(
      'alter table users add column nick text;\npragma foreign_keys = off;\ninsert into t select * from u;',
      ID,
      sqlite,
    )
  })
})
