/**
 * Dropping or regenerating the newest unapplied migration (issue 12, point 7), through the CLI: `keel drop-last`
 * deletes a draft and its keel.sum line, `keel generate --amend` writes it again from the schema under the same
 * name; both refuse a migration that the database's journal lists or that keel.sum has sealed, and keep its files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-drop-last-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let projects = 0
function project(config: string): string {
  const dir = join(root, `p${++projects}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'keel.config.ts'), config)
  return dir
}

function migrations(dir: string): string[] {
  return readdirSync(join(dir, 'migrations'))
    .filter((name) => name !== 'keel.sum')
    .sort()
}

function sumLines(dir: string): string[] {
  return readFileSync(join(dir, 'migrations', 'keel.sum'), 'utf8')
    .split('\n')
    .filter((line) => /^\d{14}_/.test(line))
}

// Eleven CLI runs against a server: the timeout only bounds a hang on a loaded machine.
describe.concurrent('dropping the newest migration', { timeout: 180_000 }, () => {
  it('drop-last and generate --amend replace a draft; an applied one is refused until rolled back', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = project(`export default { url: ${JSON.stringify(url)}, schema: 'schema.sql' }\n`)
      const keel = (...args: string[]) => runKeel(args, { cwd: dir })
      writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key);\n')

      expect((await keel('generate', 'init')).code).toBe(0)
      const dropped = await keel('drop-last')
      expect(dropped.stderr).not.toContain('error[')
      expect(dropped.code).toBe(0)
      expect(dropped.stdout).toMatch(/^Dropped migrations\/\d{14}_init\/ and its keel\.sum line\.$/m)
      expect(migrations(dir)).toEqual([])
      expect(sumLines(dir)).toEqual([])

      expect((await keel('generate', 'init')).code).toBe(0)
      const [first] = migrations(dir)
      writeFileSync(
        join(dir, 'schema.sql'),
        'create table a (id int primary key);\ncreate table b (id int primary key);\n',
      )
      const amended = await keel('generate', '--amend')
      expect(amended.stderr).not.toContain('error[')
      expect(amended.code).toBe(0)
      expect(amended.stdout).toContain(`Dropped migrations/${first}/ (--amend).`)
      const [second, ...others] = migrations(dir)
      expect(others).toEqual([])
      expect(second).toMatch(/^\d{14}_init$/)
      expect(second).not.toBe(first)
      const up = readFileSync(join(dir, 'migrations', second as string, 'up.sql'), 'utf8')
      expect(up).toMatch(/CREATE TABLE public\.a/)
      expect(up).toMatch(/CREATE TABLE public\.b/)
      expect(sumLines(dir)).toEqual([`${second} draft`])
      const migrated = await keel('migrate')
      expect(migrated.stderr).not.toContain('error[')
      expect(migrated.code).toBe(0)

      for (const args of [['drop-last'], ['generate', '--amend']]) {
        const refused = await keel(...args)
        expect(refused.stderr).toMatch(
          new RegExp(`^error\\[MIGRATION_APPLIED\\]: ${second} was applied on postgres://.*: dropping its files`, 'm'),
        )
        expect(refused.stderr).toMatch(/^hint: `keel rollback` first/m)
        expect(refused.code).toBe(1)
        expect(migrations(dir)).toEqual([second])
      }

      expect((await keel('rollback')).code).toBe(0)
      const afterRollback = await keel('drop-last')
      expect(afterRollback.stderr).not.toContain('error[')
      expect(afterRollback.code).toBe(0)
      expect(migrations(dir)).toEqual([])
    })
  })

  it('a migration sealed in keel.sum is refused; a draft goes without creating the embedded database', async () => {
    const dir = project('export default {}\n')
    const keel = (...args: string[]) => runKeel(args, { cwd: dir })
    expect((await keel('new', 'first')).code).toBe(0)
    expect((await keel('sum', '--rehash')).code).toBe(0)
    expect((await keel('new', 'second')).code).toBe(0)
    const dropped = await keel('drop-last', '--json')
    expect(dropped.code).toBe(0)
    expect(JSON.parse(dropped.stdout).dropped.id).toMatch(/^\d{14}_second$/)
    expect(existsSync(join(dir, '.keel'))).toBe(false)

    const [first] = migrations(dir)
    const refused = await keel('drop-last')
    expect(refused.stderr).toMatch(new RegExp(`^error\\[MIGRATION_APPLIED\\]: ${first} is sealed in keel\\.sum`, 'm'))
    expect(refused.code).toBe(1)
    expect(migrations(dir)).toEqual([first])

    const empty = project('export default {}\n')
    const nothing = await runKeel(['drop-last'], { cwd: empty })
    expect(nothing.stderr).toMatch(/^error\[NOTHING_TO_DO\]: .*holds no migration to drop/m)
    expect(nothing.code).toBe(1)
  })
})
