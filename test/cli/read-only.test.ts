/**
 * Read-only commands create nothing (issue 12, point 3), through the CLI: in an empty folder they say there is
 * no project (`keel init`); in a project whose embedded database was never created, status lists every
 * migration as pending and the others say there is no database yet. Opening PGlite would have created a
 * 39 MB `.keel/db` each time.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { writeSum } from '../../src/migrate/keel-sum.js'
import { runKeel } from '../support/cli.js'

const root = mkdtempSync(join(tmpdir(), 'keel-read-only-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let folders = 0
function emptyFolder(): string {
  const dir = join(root, `e${++folders}`)
  mkdirSync(dir)
  return dir
}

/** A project with one hand-written migration whose embedded database was never created. */
function projectWithoutDatabase(): string {
  const dir = emptyFolder()
  const migration = join(dir, 'migrations', '20261201000000_create_a')
  mkdirSync(migration, { recursive: true })
  writeFileSync(join(migration, 'up.sql'), 'create table a (id int primary key);\n')
  writeFileSync(join(migration, 'down.sql'), 'drop table a;\n')
  writeSum(readMigrationsDirectory(join(dir, 'migrations')))
  writeFileSync(join(dir, 'keel.config.ts'), 'export default {}\n')
  return dir
}

describe.concurrent('in an empty folder', () => {
  for (const args of [['status'], ['diff'], ['inspect'], ['check'], ['types'], ['status', '--json']]) {
    it(`keel ${args.join(' ')} says there is no project, and creates nothing`, async () => {
      const dir = emptyFolder()
      const result = await runKeel(args, { cwd: dir })
      expect(result.stderr).toMatch(/^error\[NO_PROJECT\]: no Keel project in .*no keel\.config\.ts/m)
      expect(result.stderr).toMatch(/^hint: Run `keel init`/m)
      expect(result.code).toBe(2)
      expect(readdirSync(dir)).toEqual([])
    })
  }
})

describe.concurrent('in a project whose embedded database does not exist yet', () => {
  it('keel status lists the migrations as pending and says there is no database yet', async () => {
    const dir = projectWithoutDatabase()
    const human = await runKeel(['status'], { cwd: dir })
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain('(no database yet: `keel migrate` creates it)')
    expect(human.stdout).toMatch(/20261201000000_create_a\s+pending/)
    const json = await runKeel(['status', '--json'], { cwd: dir })
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(report.database).toBe(false)
    expect(report.migrations.map((m: { state: string }) => m.state)).toEqual(['pending'])
    expect(existsSync(join(dir, '.keel'))).toBe(false)
  })

  for (const args of [['inspect'], ['diff', '--to', 'schema.sql'], ['types']]) {
    it(`keel ${args.join(' ')} says there is no database yet, and creates nothing`, async () => {
      const dir = projectWithoutDatabase()
      writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key);\n')
      const result = await runKeel(args, { cwd: dir })
      expect(result.stderr).toMatch(/^error\[NO_DATABASE\]: there is no database yet in \.keel\/db/m)
      expect(result.stderr).toMatch(/^hint: `keel migrate` or `keel push` creates it/m)
      expect(result.code).toBe(2)
      expect(existsSync(join(dir, '.keel'))).toBe(false)
    })
  }

  it('a misspelt pglite: directory is no database either', async () => {
    const dir = emptyFolder()
    writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key);\n')
    const result = await runKeel(['diff', '--from', 'pglite:./dbb', '--to', 'schema.sql'], { cwd: dir })
    expect(result.stderr).toMatch(/^error\[NO_DATABASE\]: there is no database yet in dbb/m)
    expect(result.code).toBe(2)
    expect(readdirSync(dir)).toEqual(['schema.sql'])
  })
})
