/**
 * Scaffolding and durations (issue 12, points 8 and 9), through the CLI: `keel init` keeps `.keel/` and `.env` out
 * of git, speaks to the user about their schema, offers only dialects that work and sends no deploy to a fallback
 * URL; a duration is written the same way in flags, config and directives (`2m`, as PostgreSQL's `2min`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { writeSum } from '../../src/migrate/keel-sum.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-first-steps-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let folders = 0
function emptyFolder(): string {
  const dir = join(root, `e${++folders}`)
  mkdirSync(dir)
  return dir
}

describe.concurrent('keel init', () => {
  it("ignores .keel/ and .env in git, and speaks of the user's schema", async () => {
    const dir = emptyFolder()
    const result = await runKeel(['init'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['.keel/', '.env']),
    )
    const schema = readFileSync(join(dir, 'schema.ts'), 'utf8')
    expect(schema.split('\n')[0]).toMatch(/^\/\/ Your database schema\./)
    expect(schema).not.toMatch(/brief|keel init/)
    expect(result.stdout).toContain('Wrote keel.config.ts, schema.ts, .gitignore, migrations/.')
  })

  it('adds to an existing .gitignore only what is missing', async () => {
    const dir = emptyFolder()
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.env')
    expect((await runKeel(['init'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n\n# Keel\n.keel/\n')
    const again = await runKeel(['init'], { cwd: dir })
    expect(again.stdout).not.toContain('.gitignore')
  })

  it('--dialect postgres reads DATABASE_URL (from .env) with no fallback URL in the config', async () => {
    const dir = emptyFolder()
    expect((await runKeel(['init', '--dialect', 'postgres'], { cwd: dir })).code).toBe(0)
    const config = readFileSync(join(dir, 'keel.config.ts'), 'utf8')
    expect(config).toContain('url: process.env.DATABASE_URL,')
    expect(config).not.toContain('postgres://')
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^DATABASE_URL=postgres:\/\//)
  })

  it('the demo says that its rename would break a running release until expand/contract lands', () => {
    // Running the demo costs several PGlite starts; what it prints about the rename is its own text.
    const demo = readFileSync(join(import.meta.dirname, '../../scripts/demo.mjs'), 'utf8')
    expect(demo).toContain('A rename breaks the running release until its')
    expect(demo).toContain('expand/contract migrations')
  })

  it('offers only the dialects that work', async () => {
    const help = await runKeel(['init', '--help'], { cwd: emptyFolder() })
    expect(help.stdout).toMatch(
      /--dialect <dialect>\s+database: pglite \(embedded, no server\), postgres, mysql\s+\(MySQL or MariaDB\) or sqlite/,
    )
    expect(help.stdout).not.toMatch(/oracle|mssql/i)
    const other = await runKeel(['init', '--dialect', 'oracle'], { cwd: emptyFolder() })
    expect(other.stderr).toMatch(/^error\[USAGE\]: --dialect must be pglite, postgres, mysql or sqlite/m)
    expect(other.code).toBe(2)
  })
})

describe.concurrent('durations', () => {
  // Two CLI processes in sequence, each loading a TypeScript config, beside a database made and dropped: ~5 s alone
  // at load 4, near the 60 s default under a loaded CI run. The bound is for a hang.
  it('2m works in the config and in a directive as in --lock-wait; a bad one names the config file', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = emptyFolder()
      const migration = join(dir, 'migrations', '20261201000000_create_a')
      mkdirSync(migration, { recursive: true })
      writeFileSync(join(migration, 'up.sql'), '-- keel:statement-timeout 2m\ncreate table a (id int primary key);\n')
      writeFileSync(join(migration, 'down.sql'), 'drop table a;\n')
      writeSum(readMigrationsDirectory(join(dir, 'migrations')))
      writeFileSync(join(dir, 'keel.config.ts'), "export default { lockTimeout: '2m' }\n")
      const result = await runKeel(['migrate', '--url', url, '--lock-wait', '2min'], { cwd: dir })
      expect(result.stderr).not.toContain('error[')
      expect(result.code).toBe(0)
      writeFileSync(join(dir, 'keel.config.ts'), "export default { lockTimeout: '2 minutes' }\n")
      const bad = await runKeel(['status', '--url', url], { cwd: dir })
      expect(bad.stderr).toMatch(
        /^error\[CONFIG\]: .*keel\.config\.ts: `lockTimeout` must be a duration such as 5s, 500ms or 2m \(got "2 minutes"\)/m,
      )
      expect(bad.code).toBe(2)
    })
  }, 120_000)
})
