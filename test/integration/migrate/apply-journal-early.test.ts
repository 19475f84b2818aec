import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { runtimeOf } from '../../../src/dialect/runtimes.js'
import { Journal } from '../../../src/migrate/journal.js'
import { migrate } from '../../../src/migrate/runner.js'
import { disposeTargets, useProject, withTarget } from './project.js'
import { recording } from './recording.js'

// A first run creates its journal while it parses and checks its migrations, in a transaction it commits only once
// the check has passed: the server's work on the table no longer sits between the check and the first migration,
// and a refused run still leaves nothing behind.
const project = useProject()
afterAll(() => disposeTargets())

const CREATION = /CREATE TABLE IF NOT EXISTS public\.keel_migrations \(/

const journalVisible = async (conn: Connection) =>
  (await conn.query<{ ok: boolean }>("select to_regclass('public.keel_migrations') is not null as ok"))[0]?.ok

const inTransaction = (conn: Connection) =>
  (runtimeOf('postgres').runner.inTransaction as (c: Connection) => Promise<boolean>)(conn)

describe('the journal of a first run on postgres', () => {
  it('is created before the check runs and committed only after it', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      project.add('20260102000000_b', { 'up.sql': 'create table b (id int);\n' })
      const own = await openDatabase(db.options.url, 'journal-early')
      try {
        const { conn, texts } = recording(own)
        let sentBeforeCheck: boolean | undefined
        let visibleDuringCheck: boolean | undefined
        const result = await migrate({
          url: db.options.url,
          connection: conn,
          migrationsDir: project.migrations,
          checkLeavesConnection: true,
          check: async () => {
            sentBeforeCheck = texts.some((t) => CREATION.test(t))
            // Another session sees nothing of it yet: it is not committed.
            visibleDuringCheck = await journalVisible(db.conn)
          },
        })
        expect(sentBeforeCheck).toBe(true)
        expect(visibleDuringCheck).toBe(false)
        expect(result.applied.map((m) => m.version)).toEqual(['20260101000000', '20260102000000'])
        const rows = await new Journal(db.conn, 'public').list()
        expect(rows.map((r) => r.version)).toEqual(['20260101000000', '20260102000000'])
        expect(await inTransaction(own)).toBe(false)
      } finally {
        await own.close()
      }
    })
  })

  it('is rolled back when the check refuses the run, leaving the connection outside any transaction', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      const own = await openDatabase(db.options.url, 'journal-early')
      try {
        const refused = migrate({
          url: db.options.url,
          connection: own,
          migrationsDir: project.migrations,
          checkLeavesConnection: true,
          check: async () => {
            throw new Error('refused by the check')
          },
        })
        await expect(refused).rejects.toThrow('refused by the check')
        expect(await journalVisible(own)).toBe(false)
        expect(await journalVisible(db.conn)).toBe(false)
        expect(await inTransaction(own)).toBe(false)
        expect(await db.conn.query("select to_regclass('public.a') is null as none")).toEqual([{ none: true }])
      } finally {
        await own.close()
      }
    })
  })

  it('is created all the same when the check broke the transaction it was made in', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      const result = await migrate({
        ...db.options,
        migrationsDir: project.migrations,
        // A check of the caller's that fails a query on the run's connection and goes on, though it said it would
        // leave the connection alone: the transaction that created the journal is aborted, and its COMMIT rolls it back.
        checkLeavesConnection: true,
        check: async (_toRun, conn) => {
          await conn.query('select 1/0').catch(() => {})
        },
      })
      expect(result.applied.map((m) => m.version)).toEqual(['20260101000000'])
      const rows = await new Journal(db.conn, 'public').list()
      expect(rows.map((r) => r.version)).toEqual(['20260101000000'])
    })
  })

  it('waits for a check that uses the run’s connection: its own transaction commits nothing of the run', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      const own = await openDatabase(db.options.url, 'journal-early')
      const { conn, texts } = recording(own)
      try {
        // A library caller's check, as MigrateOptions.check allows: a transaction of its own on the run's
        // connection, then a refusal. Its COMMIT committed a journal created beside it.
        const refused = migrate({
          url: db.options.url,
          connection: conn,
          migrationsDir: project.migrations,
          check: async (_toRun, run) => {
            await run.transaction(async (tx) => {
              await tx.query('select 1')
            })
            throw new Error('refused by the check')
          },
        })
        await expect(refused).rejects.toThrow('refused by the check')
        expect(texts.some((t) => CREATION.test(t))).toBe(false)
        expect(await journalVisible(db.conn)).toBe(false)
        expect(await inTransaction(own)).toBe(false)
      } finally {
        await own.close()
      }
    })
  })
})
