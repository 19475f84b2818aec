/**
 * MariaDB catalog facts that introspection must read right, each found by the property round trip or by a
 * session's report, pinned here so that no change of the random generator loses them.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { withMysqlDatabase } from '../../support/databases.js'

const mysql = getDialect('mysql')

describe('mysql introspection on MariaDB', () => {
  it('a renamed JSON column is still JSON: its json_valid check keeps the old column name', async () => {
    await withMysqlDatabase(async ({ conn }) => {
      await conn.exec('CREATE TABLE a (id INT PRIMARY KEY, b JSON NULL, c LONGTEXT NULL CHECK (c <> ""))')
      await conn.exec('ALTER TABLE a RENAME COLUMN b TO b_renamed, RENAME COLUMN c TO c_renamed')
      // The server's own record: the check is still named `b`.
      expect(
        await conn.query(
          "SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'b'",
        ),
      ).toEqual([{ name: 'b', clause: 'json_valid(`b_renamed`)' }])
      const [table] = (await mysql.introspect(conn)).tables
      expect(table?.columns.find((c) => c.name === 'b_renamed')?.type).toEqual({ kind: 'json' })
      // A longtext column's own check is a check, not JSON.
      expect(table?.columns.find((c) => c.name === 'c_renamed')?.type).toEqual({ kind: 'native', sql: 'longtext' })
      expect(table?.checks).toEqual([{ name: 'c_renamed', expr: "`c_renamed` <> ''", column: 'c_renamed' }])
    })
  })
})
