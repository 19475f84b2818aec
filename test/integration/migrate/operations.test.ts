import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { baseline } from '../../../src/migrate/baseline.js'
import { Journal } from '../../../src/migrate/journal.js'
import { reset } from '../../../src/migrate/reset.js'
import { resolve } from '../../../src/migrate/resolve.js'
import { rollback } from '../../../src/migrate/rollback.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { disposeTargets, runKeel, useProject, withTarget } from './project.js'

const project = useProject()
afterAll(() => disposeTargets())

const journal = (conn: Connection) => new Journal(conn, 'public').list()
const tables = async (conn: Connection) =>
  (await conn.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' order by 1")).map(
    (r) => r.t,
  )

function addThree(): void {
  for (const [i, name] of ['a', 'b', 'c'].entries()) {
    project.add(`2026010${i + 1}000000_create_${name}`, {
      'up.sql': `create table ${name} (id int);\n`,
      'down.sql': `drop table ${name};\n`,
    })
  }
}

describe.each(DIALECTS)('operations on %s', (dialect) => {
  it('migrate --to, rollback --steps and --to, baseline, resolve, reset', async () => {
    await withTarget(dialect, async ({ options, conn }) => {
      addThree()
      const base = { ...options, migrationsDir: project.migrations }
      expect((await migrate({ ...base, to: '20260102000000' })).remaining).toEqual(['20260103000000_create_c'])
      await migrate(base)
      expect((await journal(conn)).map((r) => r.batch)).toEqual([1, 1, 2])
      expect((await rollback({ ...base, steps: 2 })).rolledBack.map((m) => m.name)).toEqual(['create_c', 'create_b'])
      await migrate(base)
      expect((await rollback({ ...base, to: '20260101000000' })).rolledBack.map((m) => m.name)).toEqual([
        'create_c',
        'create_b',
      ])
      expect(await tables(conn)).toEqual(['a', 'keel_migrations'])

      // baseline: b and c exist already (made by hand); record them without running them.
      await conn.exec('create table b (id int); create table c (id int)')
      expect((await baseline({ ...base, to: '20260103000000' })).marked).toEqual([
        '20260102000000_create_b',
        '20260103000000_create_c',
      ])
      expect((await journal(conn)).map((r) => [r.version, r.origin])).toEqual([
        ['20260101000000', 'migrate'],
        ['20260102000000', 'baseline'],
        ['20260103000000', 'baseline'],
      ])

      // resolve: a failed mixed migration, half done; the person decides it is applied after finishing by hand.
      project.add('20260104000000_half', {
        'up.sql':
          'create table d (id int);\ncreate index concurrently d_idx on d (id);\ninsert into nowhere values (1);\n',
      })
      expect((await migrate(base).catch((e) => e)).code).toBe('MIGRATION_FAILED')
      const reports: string[] = []
      const resolved = await resolve({
        ...base,
        version: '20260104000000',
        decision: 'applied',
        onReport: (r) =>
          reports.push(
            ...r.statements.map((s) => `${s.number} ${s.journaled} ${s.effect?.object} ${s.effect?.actual}`),
          ),
      })
      expect(resolved.action).toBe('marked-applied')
      expect(reports).toEqual([
        '1 true table d present',
        '2 true index public.d_idx present',
        '3 false undefined undefined',
      ])
      const [, , , half] = await journal(conn)
      expect([half?.status, half?.origin, half?.completedStatements]).toEqual(['applied', 'resolve', 3])
      expect((await resolve({ ...base, version: '20260104000000_half', decision: 'rolled-back' })).action).toBe(
        'removed',
      )

      // reset: everything dropped, everything applied again.
      rmSync(join(project.migrations, '20260104000000_half'), { recursive: true })
      project.rehash()
      await conn.exec('create schema extra; create table extra.junk (id int)')
      const result = await reset(base)
      expect(result.dropped).toEqual(['extra', 'public'])
      expect(result.migrate.applied.map((m) => m.name)).toEqual(['create_a', 'create_b', 'create_c'])
      expect(await tables(conn)).toEqual(['a', 'b', 'c', 'keel_migrations'])
    })
  }, 120_000)

  it('reset refuses a directory that migrate would refuse before it drops anything', async () => {
    await withTarget(dialect, async ({ options, conn }) => {
      addThree()
      const base = { ...options, migrationsDir: project.migrations }
      await migrate(base)
      await conn.exec('insert into a values (1)')
      const edited = join(project.migrations, '20260102000000_create_b', 'up.sql')
      writeFileSync(edited, 'create table b (id int, note text);\n')
      expect((await reset(base).catch((e) => e)).code).toBe('SUM_MISMATCH')
      project.rehash()
      writeFileSync(join(project.migrations, '20260103000000_create_c', 'up.sql'), 'create tabel c (id int);\n')
      project.rehash()
      expect((await reset(base).catch((e) => e)).code).toBe('SQL_SYNTAX')
      expect(await tables(conn)).toEqual(['a', 'b', 'c', 'keel_migrations'])
      expect(await conn.query('select id from a')).toEqual([{ id: 1 }])
    })
  })
})

describe('CLI operations on postgres', () => {
  it('new, --dry-run, seed, status, reset safety', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      expect((await keel('new', 'Create Things')).code).toBe(0)
      expect((await keel('new', 'backfill things', '--ts')).code).toBe(0)
      const [sqlDir, tsDir] = readdirSync(project.migrations)
        .filter((f) => f !== 'keel.sum')
        .sort() as [string, string]
      expect(sqlDir).toMatch(/^\d{14}_create_things$/)
      expect(readdirSync(join(project.migrations, tsDir))).toEqual(['migration.ts'])
      writeFileSync(
        join(project.migrations, sqlDir, 'up.sql'),
        'create table things (id int);\ncreate index concurrently things_idx on things (id);\n',
      )
      writeFileSync(join(project.migrations, sqlDir, 'down.sql'), 'drop table things;\n')
      // Both are drafts in keel.sum: edited after `keel new`, they need no rehash (issue 12, point 7).
      expect(readFileSync(join(project.migrations, 'keel.sum'), 'utf8')).toContain(`${sqlDir} draft`)

      const dry = await keel('migrate', '--dry-run')
      expect(dry.code).toBe(0)
      // The session's settings as the runner sets them (backend_flush_after: 3049755), then the migration.
      expect(dry.stdout).toContain(
        "SET lock_timeout = '50ms';\nSET statement_timeout = '0';\nSELECT set_config('backend_flush_after', '256kB', false) WHERE current_setting('backend_flush_after') = '0';\nBEGIN;",
      )
      expect(dry.stdout).toContain('-- runs alone, outside a transaction (CREATE INDEX CONCURRENTLY)')
      expect(await journal(conn)).toEqual([])

      expect((await keel('migrate')).code).toBe(0)
      mkdirSync(join(project.root, 'seeds'))
      writeFileSync(join(project.root, 'seeds', '01_things.sql'), 'insert into things values (1), (2);\n')
      writeFileSync(
        join(project.root, 'seeds', '02_more.mjs'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a seed module
        'export async function seed(db) { await db.sql`insert into things values (${3})` }\n',
      )
      const seeded = await keel('seed', '--json')
      expect(JSON.parse(seeded.stdout).files).toEqual(['01_things.sql', '02_more.mjs'])
      expect(await conn.query('select count(*)::int as n from things')).toEqual([{ n: 3 }])

      const status = await keel('status')
      expect(status.stdout).toMatch(new RegExp(`${sqlDir}\\s+applied`))
      expect(readFileSync(join(project.migrations, 'keel.sum'), 'utf8')).toContain(sqlDir)

      expect((await keel('reset')).stderr).toContain('error[UNSAFE_RESET]')
      const remote = await runKeel(project, 'postgres://app@db.example.invalid:5432/prod', 'reset', '--force')
      expect([remote.code, remote.stderr.includes('reset it only with --force --force')]).toEqual([2, true])
      const done = await keel('reset', '--force')
      expect(done.code, done.stderr).toBe(0)
      expect(await conn.query('select count(*)::int as n from things')).toEqual([{ n: 0 }])
    })
  })
})
