/**
 * The hand-written workflow has no extra step (issue 12, point 7), through the CLI: `keel new a`, edit, `keel new
 * b`, edit, `keel migrate` works without `keel sum --rehash`; what keel.sum is for still holds: an edit of an
 * applied migration is caught, and `keel check` refuses unsealed drafts. Rollback, edit, migrate works too.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-drafts-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('drafts', () => {
  it('new, edit, new, edit, migrate; then an applied edit is caught; rollback, edit, migrate', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = join(root, 'project')
      mkdirSync(dir)
      writeFileSync(join(dir, 'keel.config.ts'), 'export default {}\n')
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      const edit = (suffix: string, up: string, down: string) => {
        const id = readdirSync(join(dir, 'migrations')).find((name) => name.endsWith(suffix)) as string
        writeFileSync(join(dir, 'migrations', id, 'up.sql'), up)
        writeFileSync(join(dir, 'migrations', id, 'down.sql'), down)
        return id
      }
      expect((await keel('new', 'a')).code).toBe(0)
      const a = edit('_a', 'create table a (id int primary key);\n', 'drop table a;\n')
      expect((await keel('new', 'b')).code).toBe(0)
      edit('_b', 'create table b (id int primary key);\n', 'drop table b;\n')

      const check = await keel('check')
      expect(check.code).toBe(1)
      expect(check.stdout).toContain(`${a} is a draft in keel.sum`)

      const migrated = await keel('migrate')
      expect(migrated.stderr).not.toContain('error[')
      expect(migrated.code).toBe(0)
      expect(readFileSync(join(dir, 'migrations', 'keel.sum'), 'utf8')).not.toContain('draft')

      // Sealed once applied: an edit is what keel.sum is for.
      const upA = join(dir, 'migrations', a, 'up.sql')
      writeFileSync(upA, 'create table a (id int primary key, x int);\n')
      const caught = await keel('migrate')
      expect(caught.stderr).toMatch(/^error\[(SUM|CHECKSUM)_MISMATCH\]/m)
      expect(caught.code).toBe(1)
      writeFileSync(upA, 'create table a (id int primary key);\n')

      // Roll back b, edit it, apply it again: rolled back, it is unapplied work again.
      expect((await keel('rollback', '--steps', '1')).code).toBe(0)
      edit('_b', 'create table b (id int primary key, note text);\n', 'drop table b;\n')
      const again = await keel('migrate')
      expect(again.stderr).not.toContain('error[')
      expect(again.code).toBe(0)
      expect((await keel('check')).code).toBe(0)
    })
  })

  it('generate --apply writes the migration and applies it in one step (prisma migrate dev)', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = join(root, 'generate-apply')
      mkdirSync(dir)
      writeFileSync(join(dir, 'keel.config.ts'), 'export default {}\n')
      writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key, name text);\n')
      const result = await runKeel(['generate', 'init', '--schema', 'schema.sql', '--apply', '--url', url], {
        cwd: dir,
      })
      expect(result.stderr).not.toContain('error[')
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/Applied 1 migration: \d{14}_init\./)
      const diff = await runKeel(['diff', '--to', 'schema.sql', '--exit-code', '--url', url], { cwd: dir })
      expect(diff.code, diff.stdout + diff.stderr).toBe(0)
    })
  })
})
