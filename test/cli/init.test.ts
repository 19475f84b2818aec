/**
 * A new project on the embedded default: `keel init` writes the starter files, `keel push` creates the
 * schema in .keel/db with no server and no URL, and `keel diff --exit-code` then finds nothing to do.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-init-'))
  dirs.push(dir)
  return dir
}

describe('keel init', () => {
  // Three CLI processes in sequence, and push initialises .keel/db in WebAssembly (the point: no server, no URL):
  // ~13 s alone at load 4, near the 60 s default under a loaded CI run. The bound is for a hang.
  it('starts a project that pushes to the embedded database', async () => {
    const dir = project()
    const init = await runKeel(['init'], { cwd: dir })
    expect(init.code).toBe(0)
    for (const file of ['keel.config.ts', 'schema.ts', 'migrations']) expect(existsSync(join(dir, file))).toBe(true)

    const push = await runKeel(['push', '--json'], { cwd: dir })
    expect(push.code).toBe(0)
    expect(JSON.parse(push.stdout).applied).toBe(true)
    expect(existsSync(join(dir, '.keel', 'db'))).toBe(true)

    const diff = await runKeel(['diff', '--exit-code'], { cwd: dir })
    expect(diff.code).toBe(0)
    expect(diff.stderr).toContain('no differences')
  }, 180_000)

  it('leaves existing files alone', async () => {
    const dir = project()
    writeFileSync(join(dir, 'schema.ts'), '// mine\n')
    const result = await runKeel(['init', '--dialect', 'postgres'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('schema.ts exists; left as it is')
    expect(readFileSync(join(dir, 'schema.ts'), 'utf8')).toBe('// mine\n')
    expect(readFileSync(join(dir, 'keel.config.ts'), 'utf8')).toContain('DATABASE_URL')
  })

  it('--dialect sqlite writes a SQLite project that push applies and diff then finds equal', async () => {
    const dir = project()
    expect((await runKeel(['init', '--dialect', 'sqlite'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(join(dir, 'keel.config.ts'), 'utf8')).toContain("'sqlite:app.db'")
    expect((await runKeel(['push'], { cwd: dir })).code).toBe(0)
    const again = await runKeel(['diff', '--exit-code'], { cwd: dir })
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('no differences')
  })

  it('--dialect mysql writes a MySQL project: a DATABASE_URL config, schema.sql and a mysql URL in .env', async () => {
    const dir = project()
    expect((await runKeel(['init', '--dialect', 'mysql'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(join(dir, 'keel.config.ts'), 'utf8')).toContain("schema: 'schema.sql'")
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('DATABASE_URL=mysql://root@localhost:3306/app\n')
    expect(readFileSync(join(dir, 'schema.sql'), 'utf8')).toContain('ENGINE = InnoDB')
  })

  it('refuses an unknown dialect', async () => {
    const result = await runKeel(['init', '--dialect', 'oracle'], { cwd: project() })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error\[USAGE\]: --dialect must be/m)
  })
})
