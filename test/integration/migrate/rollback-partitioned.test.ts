/**
 * `keel rollback` of a migration that drops an index and a primary key from a partitioned table: its down.sql, written
 * by keel generate, builds them again in the online form (partition-rollback.test.ts), which rollback runs group by
 * group: each leaf's concurrent build apart, the catalog-only statements that attach them in one transaction. After
 * it: the tree's indexes and keys as before the migration, valid, under the same names (an expression index's
 * copies under the names the catalog had), every row kept. PostgreSQL 15 and PGlite.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { DIALECTS } from '../../support/databases.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'
import { runKeel, useProject, withUrl } from './project.js'

const project = useProject('export default { migrations: "migrations", schema: "schema.sql" }\n')

const TREE = partitionTree({ note: true })
const OBJECTS = 'create index m_text on m (text(k));\nalter table m add primary key (id, region);\n'

// Every index of the tree: name, table, validity, the index it is attached to, the constraint it backs.
const TREE_INDEXES = `select c.relname as name, x.indrelid::regclass::text as on, x.indisvalid as valid,
    h.inhparent::regclass::text as parent, (select conname from pg_constraint where conindid = x.indexrelid) as key
  from pg_index x join pg_class c on c.oid = x.indexrelid left join pg_inherits h on h.inhrelid = x.indexrelid
  where x.indrelid in (select relid from pg_partition_tree('m')) order by 1`

describe.each(DIALECTS)('keel rollback of a drop from a partitioned table, on %s', (dialect) => {
  it('builds the index and the key again online, as they were', { timeout: 120_000 }, async () => {
    await withUrl(dialect, async (url) => {
      const keel = async (...args: string[]) => {
        const run = await runKeel(project, url, ...args)
        expect(run.code, run.stderr).toBe(0)
      }
      // The CLI holds a PGlite directory while it runs: the test's own session is opened between commands.
      const read = async <T>(fn: (conn: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
        const conn = await openDatabase(url)
        try {
          return await fn(conn)
        } finally {
          await conn.close()
        }
      }
      writeFileSync(join(project.root, 'schema.sql'), `${TREE}${OBJECTS}`)
      await keel('generate', 'init')
      await keel('migrate')
      await read((conn) => conn.exec(partitionRows(200, { note: true })))
      const before = await read((conn) => Promise.all([conn.query(TREE_INDEXES), conn.query(PARTITION_ROWS_BY_REGION)]))

      writeFileSync(join(project.root, 'schema.sql'), TREE)
      await keel('generate', 'drops')
      const down = readdirSync(project.migrations)
        .filter((d) => d.includes('_drops'))
        .map((d) => readFileSync(join(project.migrations, d, 'down.sql'), 'utf8'))
        .join('\n')
      // Each leaf's copies built concurrently; on the partitioned tables, only ON ONLY (nothing to build).
      expect(down.match(/^CREATE (UNIQUE )?INDEX CONCURRENTLY /gm)).toHaveLength(4)
      expect(down).not.toMatch(/^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)(?!.* ON ONLY )/m)
      await keel('migrate')
      expect(await read((conn) => conn.query(TREE_INDEXES))).toEqual([])

      await keel('rollback')
      expect(
        await read((conn) => Promise.all([conn.query(TREE_INDEXES), conn.query(PARTITION_ROWS_BY_REGION)])),
      ).toEqual(before)
    })
  })
})
