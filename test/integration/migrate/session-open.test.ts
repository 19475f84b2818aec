import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import { withDatabase } from '../../support/databases.js'
import { useProject } from './project.js'

const project = useProject()

/** The sessions of this process's runs on the database (their application_name ends in our pid). */
async function ourSessions(conn: { query: <R>(sql: string, params?: readonly unknown[]) => Promise<readonly R[]> }) {
  const rows = await conn.query<{ name: string }>(
    `select application_name as name from pg_catalog.pg_stat_activity
      where datname = current_database() and application_name like $1`,
    [`keel-% migrate %/${process.pid}`],
  )
  return rows.map((r) => r.name)
}

// keel migrate reads its migrations directory while its two sessions connect (migrate/session-open.ts).
describe('migrate while its sessions connect', () => {
  it('refuses an edited migration as such, also when the server refuses the connection', async () => {
    project.add('20260101000000_a', { 'up.sql': 'create table a (id bigint primary key);\n' })
    writeFileSync(join(project.migrations, '20260101000000_a', 'up.sql'), 'create table b (id bigint primary key);\n')
    // Port 9 (discard) has no PostgreSQL: the connections fail, the directory's error is the run's.
    const error = await migrate({
      url: 'postgres://postgres@127.0.0.1:9/none',
      migrationsDir: project.migrations,
    }).catch((e: unknown) => e)
    expect((error as { code?: string }).code).toBe('SUM_MISMATCH')
  })

  it('applies, and leaves no session of its own behind', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id bigint primary key);\n' })
      const options = { url, migrationsDir: project.migrations, command: 'migrate' }
      expect((await migrate(options)).applied.map((m) => m.name)).toEqual(['a'])
      expect(await ourSessions(conn)).toEqual([])
    })
  })

  it('closes the session that connected when the other is refused', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id bigint primary key);\n' })
      // A role the server lets hold one session: of the two a run opens at once, one is refused.
      const role = `keel_one_${randomBytes(4).toString('hex')}`
      await conn.query(`create role ${role} login connection limit 1`)
      try {
        const limited = new URL(url)
        limited.username = role
        const error = await migrate({ url: limited.href, migrationsDir: project.migrations }).catch((e: unknown) => e)
        expect(String(error)).toMatch(/too many connections/)
        const rows = await conn.query<{ n: number }>(
          'select count(*)::int as n from pg_catalog.pg_stat_activity where usename = $1',
          [role],
        )
        expect(rows[0]?.n).toBe(0)
        // Nothing was applied: the journal was never made.
        const made = await conn.query<{ t: string | null }>("select to_regclass('public.keel_migrations')::text as t")
        expect(made[0]?.t).toBeNull()
      } finally {
        await conn.query(`drop role ${role}`)
      }
    })
  })
})
