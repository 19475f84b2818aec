/**
 * `keel lint` through the real CLI: findings with file:line:column, the formats, exit codes (1 on an error
 * finding, 0 on warnings only, 2 on SQL that does not parse or a missing file), pending migrations by default.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-lint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

writeFileSync(
  join(dir, 'unsafe.sql'),
  'create table t (a int);\ncreate index t_a on t (a);\n\ncreate index users_email on users (email);\n',
)
writeFileSync(
  join(dir, 'warn.sql'),
  'alter table users add column e text;\ncreate index concurrently i on users (e);\n',
)
writeFileSync(join(dir, 'broken.sql'), 'create table a (id int);\n\ncreate tabel b (id int);\n')
const migrations = join(dir, 'migrations')
mkdirSync(join(migrations, '20260101000000_users'), { recursive: true })
mkdirSync(join(migrations, '20260102000000_email_index'), { recursive: true })
writeFileSync(
  join(migrations, '20260101000000_users/up.sql'),
  'create table users (id bigint primary key, email text);\n',
)
writeFileSync(join(migrations, '20260101000000_users/down.sql'), 'drop table users;\n')
writeFileSync(join(migrations, '20260102000000_email_index/up.sql'), 'alter table users rename column email to mail;\n')
const contract = join(dir, 'elsewhere', '20260103000000_drop_old')
mkdirSync(contract, { recursive: true })
writeFileSync(join(contract, 'up.sql'), '-- keel:phase contract\nalter table users drop column old;\n')

describe.concurrent('keel lint', () => {
  it('prints each finding at file:line:column with a code frame and exits 1 on an error', async () => {
    const result = await runKeel(['lint', 'unsafe.sql'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('unsafe.sql:4:29: error[require-concurrent-index]: builds users_email on users')
    expect(result.stdout).toContain('4 | create index users_email on users (email);')
    expect(result.stdout).toContain('= help: Use CREATE INDEX CONCURRENTLY')
    // The index on the table created two lines above is safe.
    expect(result.stdout).not.toContain('unsafe.sql:2:')
    expect(result.stdout).toContain('1 file linted: 1 error, 0 warnings.')
  })

  it('gives the findings as JSON with --json', async () => {
    const result = await runKeel(['lint', '--json', 'unsafe.sql'], { cwd: dir })
    expect(result.code).toBe(1)
    const json = JSON.parse(result.stdout)
    expect(json.findings).toEqual([
      {
        rule: 'require-concurrent-index',
        severity: 'error',
        message: expect.stringContaining('writes to users wait'),
        file: 'unsafe.sql',
        line: 4,
        column: 29,
        hint: expect.stringContaining('CONCURRENTLY'),
      },
    ])
    expect(json.errors).toBe(1)
  })

  it('writes GitHub annotations and SARIF', async () => {
    const github = await runKeel(['lint', '--format', 'github', 'unsafe.sql'], { cwd: dir })
    expect(github.stdout).toMatch(/^::error file=unsafe\.sql,line=4,col=29,title=require-concurrent-index::builds/m)
    const sarif = JSON.parse((await runKeel(['lint', '--format', 'sarif', 'unsafe.sql'], { cwd: dir })).stdout)
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results[0]).toMatchObject({
      ruleId: 'require-concurrent-index',
      level: 'error',
      locations: [{ physicalLocation: { region: { startLine: 4, startColumn: 29 } } }],
    })
  })

  it('exits 0 when the findings are warnings only', async () => {
    const result = await runKeel(['lint', 'warn.sql', '--format', 'json'], { cwd: dir })
    expect(result.code).toBe(0)
  })

  it('exits 2 with the parser message at the right line, and on a missing file', async () => {
    const broken = await runKeel(['lint', 'broken.sql'], { cwd: dir })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/^error\[SQL_SYNTAX\]: broken\.sql:3: syntax error at or near "tabel"/m)
    const missing = await runKeel(['lint', 'nope.sql'], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^error\[SOURCE_NOT_FOUND\]: nope\.sql/m)
    const format = await runKeel(['lint', '--format', 'xml', 'unsafe.sql'], { cwd: dir })
    expect(format.code).toBe(2)
  })

  it('lints the pending migrations by default, as folders (missing down)', async () => {
    const result = await withDatabase('postgres', (db) => runKeel(['lint', '--url', db.url, '--json'], { cwd: dir }))
    const json = JSON.parse(result.stdout)
    // users does not exist in the database yet (the first pending migration creates it): renaming its column is safe.
    expect(json.findings.map((f: { rule: string; file: string }) => `${f.file} ${f.rule}`)).toEqual([
      'migrations/20260102000000_email_index/up.sql require-down',
    ])
    expect(result.code).toBe(0)
  })

  it('lints every migration with --all, each on its own', async () => {
    const all = JSON.parse((await runKeel(['lint', '--all', '--json'], { cwd: dir })).stdout)
    expect(all.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['ban-rename-column', 'require-down'])
  })

  it('lints a migrations directory named on the command line', async () => {
    const result = await runKeel(['lint', 'migrations', '--json'], { cwd: dir })
    expect(JSON.parse(result.stdout).files).toEqual([
      'migrations/20260101000000_users/up.sql',
      'migrations/20260102000000_email_index/up.sql',
    ])
  })

  it("lints a migration's up.sql named by path as its folder: directives apply, and so do the folder rules", async () => {
    const result = await runKeel(['lint', '--json', 'elsewhere/20260103000000_drop_old/up.sql'], { cwd: dir })
    // A contract phase drops on purpose; the missing down.sql is still reported.
    expect(JSON.parse(result.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['require-down'])
    expect(result.code).toBe(0)
  })
})
