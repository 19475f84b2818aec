import { describe, expect, it } from 'vitest'
import { findingsOf, lintOk } from '../../../test/support/lint.js'

const ID = 'require-utf8mb4'
const mysql = { dialect: 'mysql' } as const

describe(ID, () => {
  it('flags utf8 and utf8mb3 character sets and collations', async () => {
    for (const sql of [
      'CREATE TABLE notes (body TEXT) CHARACTER SET utf8;',
      'CREATE TABLE notes (body TEXT CHARSET=utf8mb3);',
      'ALTER TABLE notes CONVERT TO CHARACTER SET utf8 COLLATE utf8_general_ci;',
      'CREATE TABLE notes (body TEXT COLLATE utf8mb3_bin);',
      // Chinook's MySQL schema: national types are utf8mb3 whatever the table's character set.
      'CREATE TABLE `Album` (`Title` NVARCHAR(160) NOT NULL) DEFAULT CHARSET=utf8mb4;',
      'ALTER TABLE notes ADD COLUMN code NCHAR(3), ALGORITHM=INSTANT;',
      'ALTER TABLE notes MODIFY title NATIONAL CHARACTER VARYING(40);',
    ])
      expect(
        (await findingsOf(sql, ID, mysql)).map((f) => f.severity),
        sql,
      ).toEqual(['warning'])
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('CREATE TABLE notes (body TEXT) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;', ID, mysql)
    await lintOk("INSERT INTO notes VALUES ('character set utf8');", ID, mysql)
    await lintOk('CREATE TABLE notes (nchar INT, nvarchar_count INT) CHARACTER SET utf8mb4;', ID, mysql)
  })
})
