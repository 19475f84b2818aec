/**
 * MariaDB catalog facts that introspection must read right, each found by the property round trip or by a
 * session's report, pinned here so that no change of the random generator loses them.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
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

  it('routines and triggers keep the sql_mode they were created under: read, diffed, and recreated under it', async () => {
    await withMysqlDatabase(async ({ conn }) => {
      const modes = () =>
        conn.query(
          `SELECT ROUTINE_NAME AS name, SQL_MODE AS mode FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
           UNION ALL SELECT TRIGGER_NAME, SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
           ORDER BY name`,
        )
      await conn.exec('CREATE TABLE t (id INT PRIMARY KEY, n TINYINT)')
      const [session] = await conn.query<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode')
      // Declared: created under the session's mode (STRICT_TRANS_TABLES on a stock MariaDB).
      await conn.exec('CREATE PROCEDURE put(v INT) INSERT INTO t VALUES (v, v)')
      await conn.exec('CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = NEW.n')
      const declared = await mysql.introspect(conn)
      expect(declared.routines?.[0]?.ext).toEqual({ mysql: { sqlMode: session?.mode } })
      expect(declared.triggers?.[0]?.ext).toEqual({ mysql: { sqlMode: session?.mode } })
      // Live: the same text, created under another mode (no strict mode: an out-of-range value is clipped, not refused).
      await conn.exec("DROP PROCEDURE put; DROP TRIGGER t_bi; SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'")
      await conn.exec('CREATE PROCEDURE put(v INT) INSERT INTO t VALUES (v, v)')
      await conn.exec('CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = NEW.n')
      await conn.exec(`SET SESSION sql_mode = '${session?.mode}'`)
      expect(await modes()).toEqual([
        { name: 'put', mode: 'NO_ENGINE_SUBSTITUTION' },
        { name: 't_bi', mode: 'NO_ENGINE_SUBSTITUTION' },
      ])
      const live = await mysql.introspect(conn)
      const changes = diff(live, declared).changes
      expect(changes.map((c) => c.kind).sort()).toEqual(['alterRoutine', 'createTrigger', 'dropTrigger'])
      const plan = mysql.plan(changes, safePolicy, { from: live, to: declared })
      expect(plan.steps.map((s) => s.sql).join('\n')).toContain(
        `SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = '${session?.mode}'`,
      )
      await applyPlan(conn, plan)
      expect(await modes()).toEqual([
        { name: 'put', mode: session?.mode },
        { name: 't_bi', mode: session?.mode },
      ])
      // The session's own mode is back, and nothing is left to change.
      expect(await conn.query('SELECT @@SESSION.sql_mode AS mode')).toEqual([{ mode: session?.mode }])
      expect(diff(await mysql.introspect(conn), declared).changes).toEqual([])
      // And the reverse puts the old mode back.
      const back = mysql.plan(diff(declared, live).changes, safePolicy, { from: declared, to: live })
      await applyPlan(conn, back)
      expect(await modes()).toEqual([
        { name: 'put', mode: 'NO_ENGINE_SUBSTITUTION' },
        { name: 't_bi', mode: 'NO_ENGINE_SUBSTITUTION' },
      ])
    })
  })
})
