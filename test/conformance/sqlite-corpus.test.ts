/**
 * The corpus's SQLite schemas (Chinook in both key styles, jOOQ's Sakila port with views and triggers),
 * recreated from empty by Keel's own plan and dropped back to empty, compared by SQLite's own view of the
 * database (sqlite_schema and the table and index PRAGMAs), not by Keel's introspection. The MediaWiki extensions'
 * SQLite schemas (GPL-2.0-or-later, so not vendored) get the same check from scripts/sqlite-corpus-check.mjs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/open.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { directPolicy } from '../../src/plan/policy.js'
import { emptySchema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { sqlitePragmaView as pragmaView } from '../support/sqlite-pragma-view.mjs'

const FIXTURES = join(import.meta.dirname, '../fixtures')
const sqlite = getDialect('sqlite')

describe.each([
  'chinook/Chinook_Sqlite.schema.sql',
  'chinook/Chinook_Sqlite_AutoIncrementPKs.schema.sql',
  'sakila/jooq/sqlite-sakila-schema.sql',
])('%s on SQLite', (file) => {
  it('is recreated from empty and dropped back to empty', async () => {
    const original = await openDatabase('sqlite::memory:')
    const planned = await openDatabase('sqlite::memory:')
    try {
      await original.exec(readFileSync(join(FIXTURES, file), 'utf8'))
      const schema = await sqlite.introspect(original)
      expect(schema.tables.length).toBeGreaterThan(10)
      await applyPlan(
        planned,
        sqlite.plan(diff(emptySchema, schema).changes, directPolicy, { from: emptySchema, to: schema }),
      )
      expect(await pragmaView(planned)).toEqual(await pragmaView(original))
      expect(diff(await sqlite.introspect(planned), schema).changes).toEqual([])
      await applyPlan(
        planned,
        sqlite.plan(diff(schema, emptySchema).changes, directPolicy, { from: schema, to: emptySchema }),
      )
      expect(await pragmaView(planned)).toEqual({ objects: [], tables: [] })
    } finally {
      await original.close()
      await planned.close()
    }
  })
})
