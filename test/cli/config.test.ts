/**
 * keel.config.ts mistakes through the real CLI: each is `error[CONFIG]` (exit 2) naming the file and the
 * setting, never an internal error deep inside a command, and never silently ignored.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'

const root = mkdtempSync(join(tmpdir(), 'keel-config-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let projects = 0
/** A project directory holding only keel.config.ts (and an empty migrations folder). */
function project(config: string): string {
  const dir = join(root, `p${++projects}`)
  mkdirSync(join(dir, 'migrations'), { recursive: true })
  writeFileSync(join(dir, 'keel.config.ts'), config)
  return dir
}

function expectConfigError(result: { code: number; stdout: string; stderr: string }, text: string): void {
  expect(result.stderr).toMatch(/^error\[CONFIG\]: .*keel\.config\.ts/m)
  expect(result.stderr).toContain(text)
  expect(result.stderr).toMatch(/^hint: /m)
  expect(result.stderr).not.toMatch(/^\s+at /m)
  expect(result.code).toBe(2)
}

describe.concurrent('keel.config.ts mistakes', () => {
  it('a setting of the wrong type', async () => {
    const result = await runKeel(['status'], { cwd: project('export default { schema: 42 }\n') })
    expectConfigError(result, '`schema` must be a string (got number)')
  })

  it('a misspelt setting', async () => {
    const result = await runKeel(['status'], { cwd: project("export default { migration: 'db/migrations' }\n") })
    expectConfigError(result, 'unknown setting `migration`')
  })

  it('namespaces that are not a list', async () => {
    const result = await runKeel(['status'], { cwd: project("export default { namespaces: 'public' }\n") })
    expectConfigError(result, '`namespaces` must be a list')
  })

  it('a config that throws names its line, on one line', async () => {
    const result = await runKeel(['status'], { cwd: project("\n\nthrow new Error('no config today')\n") })
    expectConfigError(result, 'no config today (at ')
    expect(result.stderr).toMatch(/keel\.config\.ts:3\)\n/)
  })

  it('a syntax error names its line, on one line', async () => {
    const result = await runKeel(['status'], { cwd: project('export default {\n  url: ,\n}\n') })
    expectConfigError(result, 'keel.config.ts:2)')
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error'))).toHaveLength(1)
    expect(result.stderr).toMatch(/^hint: /m)
  })

  it('url from an empty environment variable is an error, never the embedded database', async () => {
    const dir = project('export default { url: process.env.KEEL_TEST_EMPTY_URL }\n')
    const result = await runKeel(['status', '--json'], { cwd: dir, env: { KEEL_TEST_EMPTY_URL: '' } })
    expectConfigError(result, 'sets `url`, but it is empty')
  })

  it('devUrl from an unset environment variable is an error when scratch databases are needed, not a silent fallback', async () => {
    const dir = project('export default { devUrl: process.env.KEEL_TEST_UNSET_DEV_URL }\n')
    writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key);\n')
    const result = await runKeel(['diff', '--from', 'schema.sql', '--to', 'schema.sql'], { cwd: dir })
    expectConfigError(result, 'keel.config.ts sets `devUrl`, but it is empty')
    expect(result.stdout).toBe('')
    // Commands that need no scratch database are not stopped by it.
    const created = await runKeel(['new', 'add_b'], { cwd: dir })
    expect(created.stderr).not.toContain('error[')
    expect(created.code).toBe(0)
  })

  it('an empty devUrl string is an error too', async () => {
    const dir = project("export default { devUrl: '' }\n")
    writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key);\n')
    const result = await runKeel(['diff', '--from', 'schema.sql', '--to', 'schema.sql'], { cwd: dir })
    expectConfigError(result, 'sets `devUrl`, but it is empty')
  })

  it('a path setting written but undefined (an unset variable) is an error, not its default', async () => {
    for (const key of ['migrations', 'journalSchema']) {
      const dir = project(`export default { ${key}: process.env.KEEL_TEST_UNSET_SETTING }\n`)
      const result = await runKeel(['status'], { cwd: dir })
      expectConfigError(result, `\`${key}\` is written but undefined (an unset environment variable?)`)
    }
  })

  it('check refuses a configured schema file that does not exist instead of skipping the schema check', async () => {
    const dir = project("export default { schema: 'schemas/app.ts' }\n")
    const result = await runKeel(['check'], { cwd: dir })
    expectConfigError(result, 'schemas/app.ts')
    expect(result.stdout).toBe('')
  })

  it('check still skips the schema check when the config names no schema and schema.ts is absent', async () => {
    const result = await runKeel(['check'], { cwd: project('export default {}\n') })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('the migrations produce the schema (skipped: no schema file)')
  })
})
