/**
 * Issue 11 on MySQL/MariaDB and SQLite, end to end through the built CLI on real databases: hand-written SQL read
 * by the dialect's parser (node-sql-parser's MySQL grammar; SQLite's own), each dangerous statement reported at
 * file:line with exit 1, SQL the database would refuse an error[SQL_SYNTAX] at its line with exit 2, `keel migrate`
 * refusing an unsafe migration unless --allow-unsafe, and `keel generate`'s drops written so that they lint clean.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withMysqlDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-dialect-lint-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function project(name: string, config: string, migrations: Readonly<Record<string, string>>): string {
  const dir = join(root, name)
  for (const [folder, up] of Object.entries(migrations)) {
    mkdirSync(join(dir, 'migrations', folder), { recursive: true })
    writeFileSync(join(dir, 'migrations', folder, 'up.sql'), up)
    writeFileSync(join(dir, 'migrations', folder, 'down.sql'), 'SELECT 1;\n')
  }
  writeFileSync(join(dir, 'keel.config.mjs'), `export default ${config}\n`)
  return dir
}

interface JsonFinding {
  readonly rule: string
  readonly severity: string
  readonly file: string
  readonly line: number
}

const findingsOf = (stdout: string): readonly string[] =>
  (JSON.parse(stdout).findings as JsonFinding[]).map(
    (f) => `${f.file.split('/').at(-2)}:${f.line} ${f.severity} ${f.rule}`,
  )

const MYSQL_UP = `ALTER TABLE users MODIFY email VARCHAR(300), ALGORITHM=COPY;
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT,
  CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id));
CREATE TABLE notes (body TEXT) CHARACTER SET utf8;
UPDATE users SET email = lower(email) WHERE id > 0;
ALTER TABLE users
  ADD COLUMN (nick VARCHAR(40), plan INT);
DROP TABLE legacy;
`

describe('keel lint, migrate and generate on MySQL/MariaDB and SQLite', () => {
  it('MariaDB: each dangerous statement at file:line, exit 1; garbage exit 2; migrate refuses unless --allow-unsafe', {
    timeout: 120_000,
  }, async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      await conn.exec('create table users (id bigint primary key, email varchar(100))')
      await conn.exec('create table legacy (id bigint primary key)')
      await conn.exec("insert into users values (1, 'A')")
      const dir = project('mysql', '{ migrations: "migrations" }', { '20260101000000_risky': MYSQL_UP })
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const lint = await keel('lint', '--json')
      expect(lint.code, lint.stderr).toBe(1)
      expect(findingsOf(lint.stdout)).toEqual([
        // users has one row: a copy of it is a warning (a large or unknown table makes it an error).
        '20260101000000_risky:1 warning ban-table-copy',
        '20260101000000_risky:2 warning require-index-for-foreign-key',
        '20260101000000_risky:4 warning require-utf8mb4',
        '20260101000000_risky:5 warning ban-dml-with-implicit-commit',
        '20260101000000_risky:7 warning require-parsable-statement',
        '20260101000000_risky:8 error ban-drop-table',
      ])
      const refused = await keel('migrate')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('error[UNSAFE_MIGRATION]')
      expect(
        await conn.query(
          "select 1 from information_schema.tables where table_schema = database() and table_name = 'posts'",
        ),
      ).toEqual([])
      const allowed = await keel('migrate', '--allow-unsafe')
      expect(allowed.code, allowed.stderr).toBe(0)
      expect(
        await conn.query(
          "select 1 from information_schema.tables where table_schema = database() and table_name = 'legacy'",
        ),
      ).toEqual([])

      // What node-sql-parser refuses and the server refuses too (PREPARE judges it): a syntax error at its line.
      mkdirSync(join(dir, 'migrations/20260102000000_typo'))
      writeFileSync(
        join(dir, 'migrations/20260102000000_typo/up.sql'),
        'CREATE TABLE typo (\n  a INT,\n  b INT NOT NUL DEFAULT 1\n);\n',
      )
      writeFileSync(join(dir, 'migrations/20260102000000_typo/down.sql'), 'DROP TABLE typo;\n')
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const typo = await keel('lint')
      expect(typo.code).toBe(2)
      expect(typo.stderr).toMatch(
        /error\[SQL_SYNTAX\]: .*20260102000000_typo\/up\.sql:3: You have an error in your SQL syntax/,
      )
      // A loose file with --url is judged by the server too; without a database, it is only the warning.
      writeFileSync(join(root, 'typo.sql'), 'SELECT 1;\nALTER TABLE users\n  ADD COLUMN c INT NOT NUL;\n')
      const loose = await keel('lint', join(root, 'typo.sql'))
      expect(loose.code).toBe(2)
      expect(loose.stderr).toMatch(/error\[SQL_SYNTAX\]: .*typo\.sql:3: You have an error in your SQL syntax/)
      const offline = await runKeel(['lint', join(root, 'typo.sql'), '--json'], {
        cwd: dir,
        env: { DATABASE_URL: url },
      })
      expect(offline.code, offline.stderr).toBe(0)
      expect(
        (JSON.parse(offline.stdout).findings as JsonFinding[]).map((f) => `${f.line} ${f.severity} ${f.rule}`),
      ).toEqual(['3 warning require-parsable-statement'])

      writeFileSync(join(root, 'garbage.sql'), 'CREATE TABLE ok (a INT);\n\nCRATE TABLE broken (b INT);\n')
      const garbage = await keel('lint', join(root, 'garbage.sql'))
      expect(garbage.code).toBe(2)
      expect(garbage.stderr).toMatch(/error\[SQL_SYNTAX\]: .*garbage\.sql:3:1: "crate" starts no MySQL statement/)
    })
  })

  it('SQLite: findings at file:line, a syntax error at its line (exit 2), migrate refuses, generated drops lint clean', {
    timeout: 120_000,
  }, async () => {
    const db = join(root, 'app.db')
    const dir = project('sqlite', `{ url: "sqlite:${db}", schema: "schema.sql", migrations: "migrations" }`, {
      '20260101000000_init':
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, legacy TEXT);\nINSERT INTO users (email) VALUES ('a');\n",
    })
    const keel = (...args: string[]) => runKeel(args, { cwd: dir })
    expect((await keel('sum', '--rehash')).code).toBe(0)
    expect((await keel('migrate')).code).toBe(0)
    mkdirSync(join(dir, 'migrations/20260102000000_risky'))
    writeFileSync(
      join(dir, 'migrations/20260102000000_risky/up.sql'),
      '-- widen\nALTER TABLE users ADD COLUMN plan TEXT NOT NULL;\nALTER TABLE users DROP COLUMN legacy;\n',
    )
    writeFileSync(join(dir, 'migrations/20260102000000_risky/down.sql'), 'SELECT 1;\n')
    expect((await keel('sum', '--rehash')).code).toBe(0)
    const lint = await keel('lint', '--json')
    expect(lint.code, lint.stderr).toBe(1)
    expect(findingsOf(lint.stdout)).toEqual([
      '20260102000000_risky:2 error require-default-for-not-null-column',
      '20260102000000_risky:3 error ban-drop-column',
    ])
    const refused = await keel('migrate')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('error[UNSAFE_MIGRATION]')
    rmSync(join(dir, 'migrations/20260102000000_risky'), { recursive: true })
    expect((await keel('sum', '--rehash')).code).toBe(0)

    writeFileSync(join(root, 'broken.sql'), 'create table a (x int);\ncreate table b (y int,\n  z int,, w int);\n')
    const garbage = await keel('lint', join(root, 'broken.sql'))
    expect(garbage.code).toBe(2)
    expect(garbage.stderr).toMatch(/error\[SQL_SYNTAX\]: .*broken\.sql:3:9: near ",": syntax error/)

    // generate writes the drop as a contract migration, the acknowledgement ban-drop-column accepts.
    writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n')
    const generated = await keel('generate', 'drop_legacy')
    expect(generated.code, generated.stderr).toBe(0)
    const folder = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_drop_legacy')) ?? ''
    expect(readFileSync(join(dir, 'migrations', folder, 'up.sql'), 'utf8')).toContain('-- keel:phase contract')
    const clean = await keel('lint', '--json')
    expect([clean.code, findingsOf(clean.stdout)]).toEqual([0, []])
    expect((await keel('migrate')).code).toBe(0)
  })
})
