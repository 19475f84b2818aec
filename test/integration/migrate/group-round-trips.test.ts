import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { Journal } from '../../../src/migrate/journal.js'
import { migrate } from '../../../src/migrate/runner.js'
import { disposeTargets, useProject, withTarget } from './project.js'
import { recording } from './recording.js'

// Migrations that share a text (apply-sql-group.ts) learn which of them committed, and their durations, from the
// journal rows the text itself reads at its end: a text that ran whole needs no second round trip to ask.
const project = useProject()
afterAll(() => disposeTargets())

describe('migrations sent together in one text on postgres', () => {
  it('read their journal rows in that text, not in a round trip after it', async () => {
    await withTarget('postgres', async (db) => {
      for (let i = 1; i <= 12; i++) {
        const version = `202601010000${String(i).padStart(2, '0')}`
        project.add(`${version}_t${i}`, {
          'up.sql': `create table t${i} (id int primary key);\ninsert into t${i} values (${i});\n`,
        })
      }
      const own = await openDatabase(db.options.url, 'group-round-trips')
      try {
        const { conn, texts } = recording(own)
        const result = await migrate({ url: db.options.url, connection: conn, migrationsDir: project.migrations })
        expect(result.applied).toHaveLength(12)
        const groups = texts.filter((t) => (t.match(/\bCOMMIT\b/g) ?? []).length > 1)
        expect(groups.length).toBeGreaterThan(0)
        // No text is a read of durations alone: each group's read ends the group's own text.
        expect(texts.filter((t) => /^select version, duration_ms from/.test(t))).toEqual([])
        for (const text of groups)
          expect(text).toMatch(
            /;\nselect version, duration_ms from public\.keel_migrations where version in \('\d{14}'/,
          )
        // The durations reported for the grouped migrations are their journal rows'.
        const grouped = new Set(groups.flatMap((t) => [...t.matchAll(/values \('(\d{14})'/g)].map((m) => m[1])))
        expect(grouped.size).toBeGreaterThan(1)
        const rows = await new Journal(own, 'public').list()
        expect(rows.map((r) => r.version)).toEqual(result.applied.map((m) => m.version))
        const reported = result.applied.filter((m) => grouped.has(m.version))
        expect(reported.map((m) => m.durationMs)).toEqual(
          rows.filter((r) => grouped.has(r.version)).map((r) => r.durationMs),
        )
      } finally {
        await own.close()
      }
    })
  })
})
