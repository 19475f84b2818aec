/**
 * Read-only commands create nothing (issue 12, point 3), through the CLI: in an empty folder they say there is
 * no project (`keel init`); in a project whose embedded database was never created, status lists every
 * migration as pending, lint lints every migration as pending on an empty database, and the others say there is no
 * database yet. Opening PGlite would have created a 39 MB `.keel/db` each time.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { writeSum } from '../../src/migrate/keel-sum.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

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

describe.concurrent('keel lint without an embedded database', () => {
  it('in an empty folder says there is no project, and creates nothing', async () => {
    const dir = emptyFolder()
    const result = await runKeel(['lint'], { cwd: dir })
    expect(result.stderr).toMatch(/^error\[NO_PROJECT\]: no Keel project in /m)
    expect(result.code).toBe(2)
    expect(readdirSync(dir)).toEqual([])
  })

  it('in a project lints every migration as pending on an empty database, and creates nothing', async () => {
    const dir = projectWithoutDatabase()
    // A second migration that would be unsafe on a table with rows, and is safe on the table the first one creates.
    const second = join(dir, 'migrations', '20261201000001_index_a')
    mkdirSync(second)
    writeFileSync(join(second, 'up.sql'), 'create index a_id on a (id);\nalter table a add column b int not null;\n')
    writeFileSync(join(second, 'down.sql'), 'alter table a drop column b;\ndrop index a_id;\n')
    writeSum(readMigrationsDirectory(join(dir, 'migrations')))
    const result = await runKeel(['lint', '--format', 'json'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.files).toEqual([
      'migrations/20261201000000_create_a/up.sql',
      'migrations/20261201000001_index_a/up.sql',
    ])
    expect(existsSync(join(dir, '.keel'))).toBe(false)
    // The same findings as on a database that exists and is empty.
    const created = await withDatabase('postgres', ({ url }) =>
      runKeel(['lint', '--format', 'json', '--url', url], { cwd: dir }),
    )
    expect(created.code, created.stderr).toBe(0)
    expect(report).toStrictEqual(JSON.parse(created.stdout))
    expect(report.findings.length).toBeGreaterThan(0)
  })
})
