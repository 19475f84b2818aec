/**
 * Bad input through the real CLI: each case prints `error[CODE]: message` and a hint, exits 2 (bad
 * input) or 1, shows no stack trace, and never prints a password.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-bad-input-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SECRET = 'hunter2-secret'

function expectError(result: { code: number; stdout: string; stderr: string }, code: string, exit: number): void {
  expect(result.stderr).toMatch(new RegExp(`^error\\[${code}\\]: `, 'm'))
  expect(result.stderr).toMatch(/^hint: /m)
  expect(result.code).toBe(exit)
  expect(result.stderr).not.toMatch(/^\s+at /m)
  expect(result.stderr + result.stdout).not.toContain(SECRET)
}

describe.concurrent('bad input', () => {
  it('unreachable host', async () => {
    const result = await runKeel(['inspect', '--url', `postgres://postgres:${SECRET}@127.0.0.1:1/test`], { cwd: dir })
    expectError(result, 'CONNECTION_REFUSED', 2)
    expect(result.stderr).toContain('postgres://postgres:***@127.0.0.1:1/test')
  })

  it('wrong credentials', async () => {
    const url = `postgres://keel_no_such_role:${SECRET}@127.0.0.1:5432/test`
    expectError(await runKeel(['inspect', '--url', url], { cwd: dir }), 'AUTH_FAILED', 2)
  })

  it('nonexistent database', async () => {
    const url = `postgres://postgres:${SECRET}@127.0.0.1:5432/keel_no_such_database`
    expectError(await runKeel(['inspect', '--url', url], { cwd: dir }), 'DATABASE_NOT_FOUND', 2)
  })

  it('syntax error in a .sql source names file and line', async () => {
    writeFileSync(join(dir, 'broken.sql'), 'create table a (id int);\n\ncreate tabel b (id int);\n')
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'broken.sql'], { cwd: dir })
    expectError(result, 'SQL_SYNTAX', 2)
    expect(result.stderr).toContain('broken.sql:3')
  })

  it('a .ts schema module that throws', async () => {
    writeFileSync(join(dir, 'throws.ts'), "throw new Error('schema exploded')\n")
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'throws.ts'], { cwd: dir })
    expectError(result, 'SCHEMA_MODULE', 2)
    expect(result.stderr).toContain('schema exploded')
  })

  it('a .ts schema module with a syntax error names its line', async () => {
    writeFileSync(
      join(dir, 'unparsable.ts'),
      "import { table } from 'keel/schema'\n\nexport const t = table('t', {\n  id: ,\n})\n",
    )
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'unparsable.ts'], { cwd: dir })
    expectError(result, 'SCHEMA_MODULE', 2)
    expect(result.stderr).toMatch(/^error\[SCHEMA_MODULE\]: .*unparsable\.ts:4\)$/m)
  })

  it('a .ts schema module that exports nothing is an error, not an empty schema that drops every table', async () => {
    writeFileSync(join(dir, 'exports-nothing.ts'), "import { table } from 'keel/schema'\nconst t = table('t', {})\n")
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'exports-nothing.ts'], { cwd: dir })
    expectError(result, 'SCHEMA_MODULE', 2)
    expect(result.stderr).toContain('exports no tables')
    writeFileSync(join(dir, 'deliberately-empty.ts'), 'export const schema = {}\n')
    const empty = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'deliberately-empty.ts'], { cwd: dir })
    expect([empty.code, empty.stdout], empty.stderr).toEqual([0, ''])
  })

  it('pglite:DIR on a folder that holds other files is refused, and nothing is written there', async () => {
    const folder = join(dir, 'not-a-database')
    mkdirSync(folder)
    writeFileSync(join(folder, 'notes.txt'), 'mine\n')
    const result = await runKeel(['inspect', '--url', 'pglite:not-a-database'], { cwd: dir })
    expectError(result, 'BAD_URL', 2)
    expect(result.stderr).toContain('neither empty nor an embedded database')
    expect(readdirSync(folder)).toEqual(['notes.txt'])
    const file = await runKeel(['inspect', '--url', 'pglite:not-a-database/notes.txt'], { cwd: dir })
    expectError(file, 'BAD_URL', 2)
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(false)
  })

  it('a mysql URL with a wrong password: AUTH_FAILED, as on PostgreSQL', async () => {
    const mysql = await runKeel(
      ['diff', '--from', `mysql://keel_no_such_user:${SECRET}@127.0.0.1/app`, '--to', 'broken.sql'],
      {
        cwd: dir,
      },
    )
    expectError(mysql, 'AUTH_FAILED', 2)
  })

  it('an unknown SRC form', async () => {
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'mongodb://x/y'], { cwd: dir })
    expectError(result, 'UNKNOWN_SOURCE', 2)
  })

  it('a missing source file', async () => {
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'nope.sql'], { cwd: dir })
    expectError(result, 'SOURCE_NOT_FOUND', 2)
  })

  it('an unknown flag', async () => {
    const result = await runKeel(['diff', '--frm', 'x'], { cwd: dir })
    expect(result.stderr).toMatch(/^error\[USAGE\]: unknown option '--frm'/m)
    expect(result.code).toBe(2)
  })
})
