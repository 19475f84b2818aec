/**
 * `keel push` and `keel diff` end to end through the CLI on a real PostgreSQL database: rename hints
 * keep data, an unhinted look-alike rename stops with AMBIGUOUS_RENAME, drops need --accept-data-loss,
 * --dry-run changes nothing, and --json gives machine output only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-push-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function schemaFile(name: string, sql: string): string {
  writeFileSync(join(dir, name), sql)
  return name
}

const V1 = schemaFile(
  'v1.sql',
  `create table users (id bigint generated always as identity primary key, name text not null, email text unique);
create index users_name_idx on users (name);`,
)

describe.concurrent('keel push', () => {
  it('creates the schema, then finds nothing left to do (--json)', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const pushed = await runKeel(['push', '--schema', V1, '--url', url, '--json'], { cwd: dir })
      expect(pushed.code).toBe(0)
      const result = JSON.parse(pushed.stdout)
      expect(result.applied).toBe(true)
      expect(result.steps.map((s: { comment: string }) => s.comment)).toEqual([
        'Create table public.users',
        'Create index users_name_idx on public.users',
      ])
      const again = await runKeel(['diff', '--to', V1, '--url', url, '--exit-code'], { cwd: dir })
      expect(again.code).toBe(0)
      expect(again.stdout).toBe('')
    })
  })

  it('stops on an unhinted look-alike rename and changes nothing', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await runKeel(['push', '--schema', V1, '--url', url], { cwd: dir })
      const v2 = schemaFile(
        'v2-unhinted.sql',
        'create table users (id bigint generated always as identity primary key, full_name text not null, email text unique);',
      )
      const result = await runKeel(['push', '--schema', v2, '--url', url], { cwd: dir })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('error[AMBIGUOUS_RENAME]')
      expect(result.stderr).toContain('column public.users.name is dropped while full_name is added')
      const columns = await conn.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_name = 'users' order by ordinal_position",
      )
      expect(columns.map((c) => c.column_name)).toEqual(['id', 'name', 'email'])
    })
  })

  it('renames with a hint and keeps the data', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await runKeel(['push', '--schema', V1, '--url', url], { cwd: dir })
      await conn.exec("insert into users (name, email) values ('Ada', 'ada@example.com')")
      const v2 = schemaFile(
        'v2-hinted.sql',
        `create table users (id bigint generated always as identity primary key,
  full_name text not null, -- keel:renamed-from name
  email text unique);
create index users_name_idx on users (full_name);`,
      )
      const result = await runKeel(['push', '--schema', v2, '--url', url], { cwd: dir })
      expect(result.code).toBe(0)
      expect(await conn.query('select full_name, email from users')).toEqual([
        { full_name: 'Ada', email: 'ada@example.com' },
      ])
    })
  })

  it('refuses data loss unless accepted; --dry-run changes nothing', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await runKeel(['push', '--schema', V1, '--url', url], { cwd: dir })
      const v3 = schemaFile(
        'v3-drop.sql',
        'create table users (id bigint generated always as identity primary key, name text not null);',
      )
      const refused = await runKeel(['push', '--schema', v3, '--url', url], { cwd: dir })
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('error[DATA_LOSS]')
      expect(refused.stderr).toContain('Drop column email from public.users')

      const dry = await runKeel(['push', '--schema', v3, '--url', url, '--dry-run'], { cwd: dir })
      expect(dry.code).toBe(0)
      expect(dry.stdout).toContain('ALTER TABLE public.users DROP COLUMN email;')
      const count = async () =>
        (
          await conn.query<{ n: string }>(
            "select count(*) as n from information_schema.columns where table_name = 'users'",
          )
        )[0]!.n
      expect(await count()).toBe('3')

      const accepted = await runKeel(['push', '--schema', v3, '--url', url, '--accept-data-loss'], { cwd: dir })
      expect(accepted.code).toBe(0)
      expect(await count()).toBe('2')
    })
  })
})
