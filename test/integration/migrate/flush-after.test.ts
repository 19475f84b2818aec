import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS } from '../../support/databases.js'
import { disposeTargets, useProject, withTarget } from './project.js'

// Each migration's session writes the pages its scans dirty out as it goes (backend_flush_after, see the
// PostgreSQL runner's sessionSetup): a VALIDATE after a backfill dirties every page the backfill wrote, and with the
// server's default those writes waited in the OS cache for the next checkpoint's fsync, which writers then queued
// behind. What the server's own configuration sets stays.
const project = useProject()
afterAll(() => disposeTargets())

const recordFlush = (table: string) => `create table ${table} as select current_setting('backend_flush_after') as v;\n`

describe.each(DIALECTS)('a migration session on %s', (dialect) => {
  it("flushes its writes as it goes when the server's setting is PostgreSQL's default (0)", async () => {
    await withTarget(dialect, async (db) => {
      // The setting the session would otherwise have: the server's, as RESET ALL gives it back.
      const [server] = await db.conn.query<{ v: string }>(
        "select reset_val as v from pg_settings where name = 'backend_flush_after'",
      )
      expect(server?.v).toBe('0')
      project.add('20260101000000_a', { 'up.sql': recordFlush('f1') })
      // The second travels in front of its migration's transaction (session-setup.ts), after a RESET ALL.
      project.add('20260102000000_b', { 'up.sql': recordFlush('f2') })
      await migrate({ ...db.options, migrationsDir: project.migrations })
      const values = await db.conn.query<{ v: string }>('select v from f1 union all select v from f2')
      expect(values.map((r) => r.v)).toEqual(['256kB', '256kB'])
    })
  })
})

describe('a migration session on postgres', () => {
  it('keeps a backend_flush_after that the database sets', async () => {
    await withTarget('postgres', async (db) => {
      const [name] = await db.conn.query<{ db: string }>('select current_database() as db')
      await db.conn.exec(`alter database "${name?.db}" set backend_flush_after = '512kB'`)
      project.add('20260101000000_a', { 'up.sql': recordFlush('f1') })
      await migrate({ ...db.options, migrationsDir: project.migrations })
      expect(await db.conn.query('select v from f1')).toEqual([{ v: '512kB' }])
    })
  })
})
