/**
 * `pg_dump --schema-only` output is a schema source and a baseline migration (issue 12, point 6), although
 * pg_dump since 15.14 / 16.10 wraps it in psql's `\restrict KEY` / `\unrestrict KEY` lines, which the server
 * cannot run (Keel refused them with SQL_SYNTAX).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { writeSum } from '../../src/migrate/keel-sum.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'
import { pgDumpSchema } from '../support/pg-dump.js'

const root = mkdtempSync(join(tmpdir(), 'keel-pg-dump-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** A pg_dump of a small schema, with the \restrict lines of current pg_dump releases (added if this one is older). */
async function dumpWithRestrict(url: string): Promise<string> {
  const dump = await pgDumpSchema(url)
  const key = 'Zx9aQ1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU1vW2xY3zA4bC5dE6fG7hI8jK9lM0n'
  return /^\\restrict /m.test(dump) ? dump : `\\restrict ${key}\n\n${dump}\n\\unrestrict ${key}\n`
}

describe.concurrent('pg_dump output with \\restrict lines', () => {
  it('is a schema source: the dump of a database diffs to nothing against it', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(
        "create type mood as enum ('ok', 'meh'); create table a (id int primary key, m mood, note text default 'x')",
      )
      const dir = join(root, 'source')
      mkdirSync(dir)
      const dump = await dumpWithRestrict(url)
      expect(dump).toMatch(/^\\restrict \S+$/m)
      writeFileSync(join(dir, 'dump.sql'), dump)
      const result = await runKeel(['diff', '--from', url, '--to', 'dump.sql', '--exit-code'], { cwd: dir })
      expect(result.stderr).not.toContain('error[')
      expect(result.code).toBe(0)
    })
  })

  it('is a baseline migration: keel migrate applies it', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table b (id bigint generated always as identity primary key, name text not null)')
      const dump = await dumpWithRestrict(url)
      await conn.exec('drop table b')
      const dir = join(root, 'migration')
      mkdirSync(join(dir, 'migrations', '20261201000000_baseline'), { recursive: true })
      writeFileSync(join(dir, 'migrations', '20261201000000_baseline', 'up.sql'), dump)
      writeSum(readMigrationsDirectory(join(dir, 'migrations')))
      // No --allow-unsafe: pg_dump's header (SET statement_timeout = 0, SET lock_timeout = 0) is recognised and not
      // flagged by ban-timeout-off, and the \restrict lines are no syntax error.
      const result = await runKeel(['migrate', '--url', url], { cwd: dir })
      expect(result.stderr).not.toContain('SQL_SYNTAX')
      expect(result.code, result.stderr).toBe(0)
      const rows = await conn.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename = 'b'")
      expect(rows[0]?.n).toBe(1)
    })
  })
})
