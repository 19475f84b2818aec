import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { Journal } from '../../../src/migrate/journal.js'
import { migrate } from '../../../src/migrate/runner.js'
import { disposeTargets, useProject, withTarget } from './project.js'
import { recording } from './recording.js'

// The runner reads the journal once, under the runner lock that every writer of it holds: the next batch number,
// and whether the table exists, come from that read rather than from queries of their own.
const project = useProject()
afterAll(() => disposeTargets())

describe('the journal read once per run on postgres', () => {
  it('gives the next batch and the table’s existence without asking again', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      const first = await migrate({ ...db.options, migrationsDir: project.migrations })
      expect(first.batch).toBe(1)
      project.add('20260102000000_b', { 'up.sql': 'create table b (id int);\n' })
      project.add('20260103000000_c', { 'up.sql': 'create table c (id int);\n' })
      const own = await openDatabase(db.options.url, 'journal-reads')
      try {
        const { conn, texts } = recording(own)
        const second = await migrate({ url: db.options.url, connection: conn, migrationsDir: project.migrations })
        expect(second.batch).toBe(2)
        expect(texts.filter((t) => /max\(batch\)/.test(t))).toEqual([])
        // One look for the table: the list's.
        expect(texts.filter((t) => /from pg_catalog\.pg_class c join pg_catalog\.pg_namespace/.test(t))).toHaveLength(1)
        const rows = await new Journal(own, 'public').list()
        expect(rows.map((r) => [r.version, r.batch])).toEqual([
          ['20260101000000', 1],
          ['20260102000000', 2],
          ['20260103000000', 2],
        ])
      } finally {
        await own.close()
      }
    })
  })

  it('creates the table it saw missing without asking again, and its namespace in the same text', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      const own = await openDatabase(db.options.url, 'journal-reads')
      try {
        const { conn, texts } = recording(own)
        const options = { url: db.options.url, connection: conn, migrationsDir: project.migrations }
        const result = await migrate({ ...options, journalSchema: 'keel_meta' })
        expect(result.applied.map((m) => m.version)).toEqual(['20260101000000'])
        // One look for the table (the list's), none for the namespace but the one in the creation's text.
        expect(texts.filter((t) => /from pg_catalog\.pg_class c join pg_catalog\.pg_namespace/.test(t))).toHaveLength(1)
        const creation = texts.filter((t) => /pg_catalog\.pg_namespace where nspname/i.test(t))
        expect(creation).toHaveLength(1)
        expect(creation[0]).toMatch(/CREATE TABLE IF NOT EXISTS keel_meta\.keel_migrations \(/)
        const rows = await new Journal(own, 'keel_meta').list()
        expect(rows.map((r) => r.version)).toEqual(['20260101000000'])
      } finally {
        await own.close()
      }
    })
  })
})
