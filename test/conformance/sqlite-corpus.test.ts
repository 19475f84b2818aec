/**
 * The corpus's SQLite schemas (Chinook in both key styles, jOOQ's Sakila port with views and triggers),
 * recreated from empty by Keel's own plan and dropped back to empty, compared by SQLite's own view of the
 * database (sqlite_schema and the table PRAGMAs), not by Keel's introspection.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { openDatabase } from '../../src/db/open.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { directPolicy } from '../../src/plan/policy.js'
import { emptySchema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'

const FIXTURES = join(import.meta.dirname, '../fixtures')
const sqlite = getDialect('sqlite')

/** SQLite's own view of a database: its objects, and each table's columns, keys and indexes. */
async function pragmaView(conn: Connection): Promise<unknown> {
  const objects = await conn.query<{ type: string; name: string; tbl_name: string }>(
    `select type, name, tbl_name from sqlite_schema where name not like 'sqlite\\_%' escape '\\' order by type, name`,
  )
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name)
  return {
    objects,
    tables: await Promise.all(
      tables.map(async (t) => ({
        t,
        columns: await conn.query(
          `select name, upper(type) as type, "notnull", dflt_value, pk, hidden from pragma_table_xinfo('${t}')`,
        ),
        foreignKeys: await conn.query(
          `select "table", "from", "to", on_delete, on_update from pragma_foreign_key_list('${t}') order by "table", "from"`,
        ),
        indexes: await conn.query(
          `select name, "unique", origin, partial from pragma_index_list('${t}') order by name`,
        ),
      })),
    ),
  }
}

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
