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
        } else {
          expect(result.stdout).toContain(`Wrote ${path} (`)
          expect(result.stderr).toContain(`Written before applying, and kept (pending unless applied above): ${path}.`)
        }
      })
    })
  }
})
