import { describe, expect, it } from 'vitest'
import { findingsOf, lintOk } from '../../../test/support/lint.js'
import { lintSqlText } from '../lint-migration.js'

const ID = 'require-parsable-statement'
const mysql = { dialect: 'mysql' } as const

describe(ID, () => {
  it('warns where the MySQL parser stopped in a statement that changes schema or data', async () => {
    const findings = await findingsOf(
      'CREATE TABLE t (a INT);\n\nALTER TABLE t\n  ALTER COLUMN a SET DEFAULT 3;',
      ID,
      mysql,
    )
    expect(findings.map((f) => [f.severity, f.line, f.column, f.message])).toEqual([
      ['warning', 4, 3, 'lint could not parse this statement (unexpected "A"), so the MySQL rules did not check it'],
    ])
  })

  it('leaves what it reads, and session settings it does not, alone', async () => {
    await lintOk(
      'ALTER TABLE t MODIFY a BIGINT, ALGORITHM=INPLACE, LOCK=NONE;\nSET NAMES utf8mb4;\n/*!40101 SET @x = 1 */;',
      ID,
      mysql,
    )
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
