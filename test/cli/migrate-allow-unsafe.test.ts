/**
 * `keel migrate` lints the migrations it is about to run and refuses them on an error finding, before applying
 * anything; `--allow-unsafe` applies them anyway, and a reviewed `-- keel:lint-ignore` lets them through.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-allow-unsafe-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function project(name: string, renameSql: string): string {
  const dir = join(root, name)
  const add = (id: string, up: string) => {
    mkdirSync(join(dir, 'migrations', id), { recursive: true })
    writeFileSync(join(dir, 'migrations', id, 'up.sql'), up)
    writeFileSync(join(dir, 'migrations', id, 'down.sql'), 'select 1;\n')
  }
  add('20260101000000_users', 'create table users (id bigint primary key, email text);\n')
  add('20260102000000_rename', renameSql)
  return dir
}

/** keel.sum must match the folders before migrate runs anything. */
async function rehash(dir: string): Promise<void> {
  const result = await runKeel(['sum', '--rehash'], { cwd: dir })
  expect(result.code, result.stderr).toBe(0)
}

describe('keel migrate and lint', () => {
  it('refuses an unsafe pending migration, applying nothing, unless --allow-unsafe', async () => {
    const dir = project('refuse', 'alter table users rename column email to mail;\n')
    await rehash(dir)
    await withDatabase('postgres', async (db) => {
      const first = await runKeel(['migrate', '--url', db.url, '--to', '20260101000000'], { cwd: dir })
      expect(first.code).toBe(0)
      const refused = await runKeel(['migrate', '--url', db.url], { cwd: dir })
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('up.sql:1:13: error[ban-rename-column]: renames users.email to mail')
      expect(refused.stderr).toMatch(
        /^error\[UNSAFE_MIGRATION\]: 1 pending migration would lock, rewrite or lose data/m,
      )
      const columns = await db.conn.query<{ name: string }>(
        "select column_name as name from information_schema.columns where table_name = 'users' order by 1",
      )
      expect(columns.map((c) => c.name)).toEqual(['email', 'id'])
      const allowed = await runKeel(['migrate', '--url', db.url, '--allow-unsafe'], { cwd: dir })
      expect(allowed.code).toBe(0)
      const after = await db.conn.query<{ name: string }>(
        "select column_name as name from information_schema.columns where table_name = 'users' order by 1",
      )
      expect(after.map((c) => c.name)).toEqual(['id', 'mail'])
    })
  })

  it('applies a migration whose finding was reviewed with lint-ignore', async () => {
    const dir = project(
      'ignored',
      '-- keel:lint-ignore ban-rename-column no release reads users.email yet\nalter table users rename column email to mail;\n',
    )
    await rehash(dir)
    await withDatabase('postgres', async (db) => {
      expect((await runKeel(['migrate', '--url', db.url, '--to', '20260101000000'], { cwd: dir })).code).toBe(0)
      const result = await runKeel(['migrate', '--url', db.url], { cwd: dir })
      expect(result.stderr).not.toContain('UNSAFE_MIGRATION')
      expect(result.code).toBe(0)
    })
  })
})
