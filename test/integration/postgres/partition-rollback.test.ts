/**
 * The undo (down.sql, reversePlan) of an index or key dropped from a partitioned table that stays. It was the direct
 * statement on the partitioned table: CREATE INDEX on it builds every partition's copy holding SHARE on each (writers
 * wait for the whole build), ADD PRIMARY KEY builds the leaves' indexes under ACCESS EXCLUSIVE on the tree. The
 * forward plan of the same index or key is online (partitioned-add-index.ts, partitioned-add-key.ts); the undo now is
 * too: each leaf's copy built concurrently, then attached in a catalog-only transaction. Run statement by statement,
 * as keel migrate runs a down.sql: the database is the start's again (no difference, the same index names and
 * definitions, an expression index's copies under their names, `_text_idx` for `text(k)`; pg_dump equal on
 * PostgreSQL 15), every row kept. PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { diffOptionsFor } from '../../../src/cli/diff-options.js'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')

reuseDatabasesInFile()

const TREE = partitionTree({ note: true })
const ROWS = partitionRows(200, { note: true })

// What pg_dump prints of the tree's indexes, read from the catalog (PGlite has no pg_dump): each index's name, table,
// definition, validity and the index it is attached to.
const treeIndexes = (conn: Connection) =>
  conn.query(
    `select c.relname as name, x.indrelid::regclass::text as on, pg_get_indexdef(x.indexrelid) as definition,
        x.indisvalid as valid, h.inhparent::regclass::text as parent
      from pg_index x join pg_class c on c.oid = x.indexrelid left join pg_inherits h on h.inhrelid = x.indexrelid
      where x.indrelid in (select relid from pg_partition_tree('m')) order by 1`,
  )

const CASES = [
  ['an index', 'create index m_k on m (k) include (note);'],
  ['expression indexes', 'create index m_text on m (text(k));\ncreate index m_lower on m (lower(note)) where k > 10;'],
  [
    'a primary key and a unique constraint',
    'alter table m add primary key (id, region);\nalter table m add unique (k, region, id);',
  ],
] as const

describe.each(DIALECTS)('the undo of what a plan drops from a partitioned table, on %s', (name) => {
  it.each(CASES)('builds %s again online, under the names it had', async (_what, objects) => {
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(TREE)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${objects}\n${ROWS}`)
        const from = await dialect.introspect(start.conn)
        const before = await treeIndexes(start.conn)
        const rows = await start.conn.query(PARTITION_ROWS_BY_REGION)
        const dump = name === 'postgres' ? normalizePgDump(await pgDumpSchema(start.url)) : []
        const plan = dialect.plan(
          diff(from, target, [], await diffOptionsFor(dialect, from, target)).changes,
          safePolicy,
        )
        const reverse = reversePlan(plan)
        if (!('sql' in reverse)) throw new Error(reverse.irreversible.join('; '))
        const statements = (
          await Promise.all(reverse.sql.map((sql) => dialect.runner.parseStatements(sql, 'reverse')))
        ).flatMap((list) => list.map((s) => s.sql))
        // Nothing built on the partitioned tables but ON ONLY (nothing to build); each leaf's copy concurrently.
        expect(statements.filter((s) => /^(CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)(?!.* ON ONLY ))/.test(s))).toEqual(
          [],
        )
        expect(statements.filter((s) => /^CREATE (UNIQUE )?INDEX CONCURRENTLY /.test(s)).length).toBeGreaterThan(0)
        await applyPlan(start.conn, plan)
        await runScript(start.conn, reverse.sql)
        expect(await treeIndexes(start.conn)).toEqual(before)
        expect(diff(await dialect.introspect(start.conn), from, [], dialect).changes).toEqual([])
        if (name === 'postgres') expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(dump)
        expect(await start.conn.query(PARTITION_ROWS_BY_REGION)).toEqual(rows)
      })
    })
  })
})
