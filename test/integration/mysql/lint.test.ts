/**
 * Issue 11 / 9: `keel lint` and `keel migrate` on MariaDB. MySQL has no parse tree in Keel: its rules read the
 * runner's statement split (lint/sql/mysql-statement.ts), and the live database's table sizes (information_schema)
 * decide how bad a table copy is: an error on a big table, which `keel migrate` refuses, a warning on a small one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withMysqlDatabase } from '../../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-mysql-lint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const UP = `ALTER TABLE big MODIFY email VARCHAR(300), ALGORITHM=COPY;
ALTER TABLE small MODIFY email VARCHAR(300), ALGORITHM=COPY;
UPDATE small SET email = lower(email);
CREATE TABLE notes (body TEXT) CHARACTER SET utf8;
`

describe('keel lint on MariaDB', () => {
  it('judges table copies by live size, and keel migrate refuses the error', { timeout: 60_000 }, async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      await conn.exec('create table big (id bigint primary key, email varchar(100))')
      await conn.exec("insert into big select seq, concat('u', seq) from seq_1_to_150000")
      await conn.exec('create table small (id bigint primary key, email varchar(100))')
      await conn.exec("insert into small values (1, 'a')")
      await conn.exec('analyze table big, small')
      mkdirSync(join(dir, 'migrations', '20260101000000_widen'), { recursive: true })
      writeFileSync(join(dir, 'keel.config.mjs'), 'export default { migrations: "migrations" }\n')
      writeFileSync(join(dir, 'migrations/20260101000000_widen/up.sql'), UP)
      writeFileSync(join(dir, 'migrations/20260101000000_widen/down.sql'), 'DROP TABLE notes;\n')
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const lint = await keel('lint', '--json')
      expect(lint.code, lint.stderr).toBe(1)
      const findings: { rule: string; severity: string; line: number }[] = JSON.parse(lint.stdout).findings
      expect(findings.map((f) => [f.line, f.rule, f.severity])).toEqual([
        [1, 'ban-table-copy', 'error'],
        [2, 'ban-table-copy', 'warning'],
        [3, 'ban-dml-with-implicit-commit', 'warning'],
        // A rule every server shares, read through PostgreSQL's grammar: a warning, as the table is small.
        [3, 'ban-unbounded-update-delete', 'warning'],
        [4, 'require-utf8mb4', 'warning'],
      ])
      const migrate = await keel('migrate')
      expect(migrate.code).toBe(1)
      expect(migrate.stderr).toContain('error[UNSAFE_MIGRATION]')
    })
  })
})
