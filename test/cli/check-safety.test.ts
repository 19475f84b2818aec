/**
 * `keel check` includes lint and the brief's Migration Safety Checklist (issue 11, points 7 and 9): the pending
 * migrations are linted with the live database's facts (an error finding fails the gate, exit 1), each runs up,
 * down and up again on the scratch database with its times, a down that does not restore the schema fails the
 * gate, and the items no tool can prove are asked as questions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-check-safety-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function project(name: string): { dir: string; add: (id: string, up: string, down?: string) => void } {
  const dir = join(root, name)
  mkdirSync(join(dir, 'migrations'), { recursive: true })
  writeFileSync(join(dir, 'keel.config.ts'), 'export default {}\n')
  const add = (id: string, up: string, down?: string) => {
    mkdirSync(join(dir, 'migrations', id))
    writeFileSync(join(dir, 'migrations', id, 'up.sql'), up)
    if (down !== undefined) writeFileSync(join(dir, 'migrations', id, 'down.sql'), down)
  }
  return { dir, add }
}

describe.concurrent('keel check: lint and the checklist', () => {
  it('fails on an error finding in a pending migration, proves each down, and asks what it cannot prove', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const { dir, add } = project('lint-error')
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      add('20260101000000_users', 'create table users (id bigint primary key, email text);\n', 'drop table users;\n')
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const migrated = await keel('migrate')
      expect(migrated.code, migrated.stderr).toBe(0)
      add(
        '20260102000000_rename',
        'alter table users rename column email to mail;\n',
        'alter table users rename column mail to email;\n',
      )
      add(
        '20260103000000_index',
        '-- keel:no-transaction\ncreate index concurrently users_mail on users (mail);\n',
        'drop index users_mail;\n',
      )
      add('20260104000000_note', 'alter table users add column note text;\n')
      expect((await keel('sum', '--rehash')).code).toBe(0)

      const result = await keel('check')
      expect(result.code, result.stderr).toBe(1)
      expect(result.stdout).toContain('✗ the pending migrations pass lint')
      expect(result.stdout).toContain('error[UNSAFE_MIGRATION]: 1 error finding (see below)')
      expect(result.stdout).toMatch(/20260102000000_rename\/up\.sql:1:\d+: error\[ban-rename-column\]/)
      expect(result.stdout).toContain('✓ each pending migration runs up, down and up again on a scratch database')
      expect(result.stdout).toMatch(
        /20260102000000_rename: up \d+ ms, down \d+ ms \(schema restored\), up again \d+ ms/,
      )
      expect(result.stdout).toContain('✗ Migration is backward-compatible with current application code')
      expect(result.stdout).toContain('✓ Indexes created CONCURRENTLY where supported (PostgreSQL)')
      expect(result.stdout).toContain('20260103000000_index runs outside a transaction (-- keel:no-transaction)')
      expect(result.stdout).toContain('? Reviewed by at least one other engineer for production databases')
      expect(result.stdout).toContain('? Data migration tested on production-sized dataset (measure duration)')

      const json = JSON.parse((await keel('check', '--json')).stdout)
      expect(json.ok).toBe(false)
      expect(json.lint.findings.map((f: { rule: string }) => f.rule)).toEqual(['ban-rename-column', 'require-down'])
      expect(json.checklist).toHaveLength(9)
      // A missing down is a warning (require-down): the item is not proven, and the gate still passes on it alone.
      expect(json.checklist[3]).toMatchObject({ item: 'Rollback migration written and tested', verdict: 'warn' })
      expect(json.checklist[3].details[2]).toMatch(
        /^20260104000000_note: up \d+ ms; no down, so it cannot be rolled back$/,
      )
    })
  })

  it('fails when a down does not restore the schema; --no-round-trip skips the proof and asks instead', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const { dir, add } = project('bad-down')
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      add('20260101000000_users', 'create table users (id bigint primary key);\n', 'drop table users;\n')
      add('20260102000000_note', 'alter table users add column note text;\n', 'select 1;\n')
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const result = await keel('check')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('✗ each pending migration runs up, down and up again on a scratch database')
      expect(result.stdout).toContain('but down did not restore the schema; it left these to do:')
      expect(result.stdout).toContain('Drop column note from public.users')
      expect(result.stdout).toContain('✗ Rollback migration written and tested')

      const skipped = await keel('check', '--no-round-trip')
      expect(skipped.code, skipped.stdout).toBe(0)
      expect(skipped.stdout).toContain('(skipped: --no-round-trip)')
      expect(skipped.stdout).toContain('? Rollback migration written and tested')
    })
  })
})
