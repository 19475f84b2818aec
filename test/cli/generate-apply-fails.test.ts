/**
 * `keel generate --apply` whose apply fails: the migration was written before, and stays; the user is told which, in
 * the human output (the Wrote lines, then the error) and under --json (the error object's hint names it).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-generate-apply-fails-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('generate --apply whose apply fails', () => {
  for (const json of [false, true]) {
    it(`names the migration it wrote${json ? ' (--json)' : ''}`, async () => {
      await withDatabase('postgres', async ({ url, conn }) => {
        const dir = join(root, json ? 'json' : 'human')
        mkdirSync(dir)
        writeFileSync(join(dir, 'keel.config.ts'), 'export default {}\n')
        writeFileSync(join(dir, 'schema.sql'), 'create table extra (id int primary key);\n')
        // Made on the target by hand, not by a migration: the migration generated from the replay creates it again,
        // and applying it fails (42P07, MIGRATION_FAILED).
        await conn.exec('create table extra (id int primary key)')
        const args = ['generate', 'extra', '--schema', 'schema.sql', '--apply', '--url', url]
        const result = await runKeel(json ? [...args, '--json'] : args, { cwd: dir })
        expect(result.code, result.stderr).toBe(1)
        expect(result.stderr).toContain('error[MIGRATION_FAILED]')
        const [written, ...more] = readdirSync(join(dir, 'migrations')).filter((name) => name.endsWith('_extra'))
        expect(more).toEqual([])
        expect(existsSync(join(dir, 'migrations', written as string, 'up.sql'))).toBe(true)
        const path = `migrations/${written}/`
        if (json) {
          const error = JSON.parse(result.stdout).error
          expect(error.code).toBe('MIGRATION_FAILED')
          expect(error.hint).toContain(`Written before applying, and kept (pending unless applied above): ${path}.`)
          expect(error.notes).toEqual([`Written before applying, and kept (pending unless applied above): ${path}.`])
        } else {
          expect(result.stdout).toContain(`Wrote ${path} (`)
          expect(result.stderr).toContain(`Written before applying, and kept (pending unless applied above): ${path}.`)
        }
      })
    })
  }

  // Not a KeelError: a bug, or here the file system. The note was added to KeelErrors only, so --json said nothing of
  // the migration written (the human output had its Wrote line).
  it('names the migration it wrote when the apply fails with error[INTERNAL] (--json)', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = join(root, 'internal')
      const sum = join(dir, 'migrations', 'keel.sum')
      mkdirSync(join(dir, 'migrations', '20260101000000_break'), { recursive: true })
      writeFileSync(join(dir, 'keel.config.ts'), 'export default {}\n')
      writeFileSync(join(dir, 'schema.sql'), 'create table extra (id int primary key);\n')
      // Pending, applied first: on the target (not on generate's scratch replay) it puts a folder where keel.sum is, so
      // that sealing keel.sum after the run fails with EISDIR, an error Keel did not make.
      writeFileSync(
        join(dir, 'migrations', '20260101000000_break', 'migration.ts'),
        `import { mkdirSync, rmSync } from 'node:fs'
export async function up(db) {
  const [row] = await db.query('select current_database() as name')
  if (row.name !== ${JSON.stringify(new URL(url).pathname.slice(1))}) return
  rmSync(${JSON.stringify(sum)})
  mkdirSync(${JSON.stringify(sum)})
}
`,
      )
      expect((await runKeel(['sum', '--rehash', '--url', url], { cwd: dir })).code).toBe(0)
      const args = ['generate', 'extra', '--schema', 'schema.sql', '--apply', '--url', url, '--json']
      const result = await runKeel(args, { cwd: dir })
      expect(result.code, result.stderr).toBe(1)
      const [written] = readdirSync(join(dir, 'migrations')).filter((name) => name.endsWith('_extra'))
      const note = `Written before applying, and kept (pending unless applied above): migrations/${written}/.`
      const error = JSON.parse(result.stdout).error
      expect(error.code).toBe('INTERNAL')
      expect(error.message).toContain('EISDIR')
      expect(error.hint).toMatch(/^This is a bug in Keel; .* Written before applying/)
      expect(error.hint).toContain(note)
      expect(error.notes).toEqual([note])
      expect(result.stderr).toContain('error[INTERNAL]: EISDIR')
    })
  })
})
