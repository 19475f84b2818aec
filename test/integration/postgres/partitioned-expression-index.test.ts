/**
 * An expression index added to a partitioned table that exists, under the safe policy. It kept the direct CREATE
 * INDEX on the partitioned table (writers wait for every partition's build), because each partition's copy is named
 * from what the server's FigureIndexColname calls the expression (`lower(note)` gives `<partition>_lower_idx`, an
 * operator `_expr_idx`), which the plan could not tell. Now the differ reads it with the server's parser from the
 * CREATE INDEX the plan writes (cli/diff-options.ts passes the namer), and the online form builds each leaf's copy
 * concurrently under that name, then attaches them: the copies are named as the plain CREATE INDEX on the partitioned
 * table names them (the goal is made so), no difference is left, rows are kept. PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { diffOptionsFor } from '../../../src/cli/diff-options.js'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import type { Table } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { blockingWhenGenerated } from '../../support/generated-lint.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'

const dialect = getDialect('postgres')

// Three databases a dialect, each but the first emptied by the case before (a new PGlite costs 0.7 s of CPU).
reuseDatabasesInFile()

const TREE = partitionTree({ note: true })
const ROWS = partitionRows(200, { note: true })
// A call, two operators and a COALESCE with an INCLUDE column, and a second index over the same call: its copies are
// numbered (`_lower_idx1`), made after the first's, as the server numbers them. Written as the server prints them
// back, so that the goal's copies are named from the same text as the plan's.
const INDEXES = `create index m_lower on m (lower(note));
create index m_lower_k on m (lower(note)) where k > 10;
create index m_sum on m ((k + 1), (k * 2), coalesce(note, 'x')) include (id);`

// The server prints `text(k)` back as `((k)::text)` (a cast through text I/O, not a call): it named the goal's copies
// from the call (`_text_idx`, `_text_note_idx`), the plan's text would name them from the column (`_k_idx`, `_id_note_idx`).
const WRITTEN_OTHERWISE = 'create index m_text on m (text(k));\ncreate index m_text_note on m (text(id), note);'

// `table` without the names of its copies of expression indexes (TableExt's expressionIndexCopies).
const withoutCopies = (table: Table): Table => {
  const { expressionIndexCopies: _copies, ...postgres } = table.ext?.postgres ?? {}
  return { ...table, ext: { ...table.ext, postgres } }
}

// Every index of the tree by name, with its table and its validity.
const treeIndexes = (conn: Connection) =>
  conn.query<{ name: string; on: string; valid: boolean }>(
    `select c.relname as name, x.indrelid::regclass::text as on, x.indisvalid as valid
      from pg_index x join pg_class c on c.oid = x.indexrelid
      where x.indrelid in (select relid from pg_partition_tree('m')) order by 1`,
  )

// What pg_dump prints of the tree's indexes, read from the catalog (PGlite has no pg_dump): each index's definition and
// the index it is attached to.
const treeDefinitions = (conn: Connection) =>
  conn.query<{ definition: string; parent: string | null }>(
    `select pg_get_indexdef(x.indexrelid) as definition, h.inhparent::regclass::text as parent
      from pg_index x left join pg_inherits h on h.inhrelid = x.indexrelid
      where x.indrelid in (select relid from pg_partition_tree('m')) order by 1`,
  )

describe.each(DIALECTS)('an expression index added to a partitioned table that exists, on %s', (name) => {
  it('builds each leaf’s copy concurrently under the name the server gives it, then attaches them', async () => {
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}${INDEXES}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        const from = await dialect.introspect(start.conn)
        const before = await start.conn.query(PARTITION_ROWS_BY_REGION)
        const plan = dialect.plan(
          diff(from, target, [], await diffOptionsFor(dialect, from, target)).changes,
          safePolicy,
        )
        // keel generate writes it: linted as it lints (every table large and busy), no step blocks writers.
        expect(await blockingWhenGenerated(plan)).toEqual([])
        expect(plan.steps.filter((s) => s.sql.startsWith('CREATE INDEX CONCURRENTLY')).map((s) => s.sql)).toEqual([
          'CREATE INDEX CONCURRENTLY m_eu_1_lower_idx ON public.m_eu_1 ((lower(note)))',
          'CREATE INDEX CONCURRENTLY m_us_lower_idx ON public.m_us ((lower(note)))',
          'CREATE INDEX CONCURRENTLY m_eu_1_lower_idx1 ON public.m_eu_1 ((lower(note))) WHERE (k > 10)',
          'CREATE INDEX CONCURRENTLY m_us_lower_idx1 ON public.m_us ((lower(note))) WHERE (k > 10)',
          "CREATE INDEX CONCURRENTLY m_eu_1_expr_expr1_coalesce_id_idx ON public.m_eu_1 (((k + 1)), ((k * 2)), (COALESCE(note, 'x'::text))) INCLUDE (id)",
          "CREATE INDEX CONCURRENTLY m_us_expr_expr1_coalesce_id_idx ON public.m_us (((k + 1)), ((k * 2)), (COALESCE(note, 'x'::text))) INCLUDE (id)",
        ])
        await applyPlan(start.conn, plan)
        // The copies as the plain CREATE INDEX on m named them in the goal, every one valid.
        const made = await treeIndexes(start.conn)
        expect(made).toEqual(await treeIndexes(goal.conn))
        expect(made.every((i) => i.valid)).toBe(true)
        expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
        if (name === 'postgres')
          expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(normalizePgDump(await pgDumpSchema(goal.url)))
        expect(await start.conn.query(PARTITION_ROWS_BY_REGION)).toEqual(before)
      })
    })
  })

  it('names each copy as the goal database names it, when its text names the column otherwise', async () => {
    await withReusedDatabase(name, async (goal) => {
      // The goal lists its copies' names: the plan's concurrent builds take them.
      await goal.conn.exec(`${TREE}${WRITTEN_OTHERWISE}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        const from = await dialect.introspect(start.conn)
        const before = await start.conn.query(PARTITION_ROWS_BY_REGION)
        const plan = dialect.plan(
          diff(from, target, [], await diffOptionsFor(dialect, from, target)).changes,
          safePolicy,
        )
        expect(await blockingWhenGenerated(plan)).toEqual([])
        await applyPlan(start.conn, plan)
        const made = await treeIndexes(start.conn)
        expect(made.map((i) => i.name)).toContain('m_us_text_note_idx')
        expect(made).toEqual(await treeIndexes(goal.conn))
        expect(await treeDefinitions(start.conn)).toEqual(await treeDefinitions(goal.conn))
        expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
        if (name === 'postgres')
          expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(normalizePgDump(await pgDumpSchema(goal.url)))
        expect(await start.conn.query(PARTITION_ROWS_BY_REGION)).toEqual(before)
      })
    })
  })

  it('renames the copies the direct form makes to the goal database’s names', async () => {
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}${WRITTEN_OTHERWISE}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${ROWS}`)
        // The direct policy: CREATE INDEX on the partitioned table names its partitions' copies itself.
        const from = await dialect.introspect(start.conn)
        const plan = dialect.plan(
          diff(from, target, [], await diffOptionsFor(dialect, from, target)).changes,
          directPolicy,
        )
        await applyPlan(start.conn, plan)
        expect(await treeIndexes(start.conn)).toEqual(await treeIndexes(goal.conn))
        expect(await treeDefinitions(start.conn)).toEqual(await treeDefinitions(goal.conn))
        if (name === 'postgres')
          expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(normalizePgDump(await pgDumpSchema(goal.url)))
      })
    })
  })

  it('names the copies of a tree the plan creates as the goal database names them', async () => {
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}${WRITTEN_OTHERWISE}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        // CREATE INDEX on the new partitioned table names the copies from the text as printed; renamed after.
        const from = await dialect.introspect(start.conn)
        const plan = dialect.plan(
          diff(from, target, [], await diffOptionsFor(dialect, from, target)).changes,
          safePolicy,
        )
        await applyPlan(start.conn, plan)
        expect(await treeIndexes(start.conn)).toEqual(await treeIndexes(goal.conn))
        expect(await treeDefinitions(start.conn)).toEqual(await treeDefinitions(goal.conn))
        expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
        if (name === 'postgres')
          expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(normalizePgDump(await pgDumpSchema(goal.url)))
      })
    })
  })

  it('keeps the direct form for a differ without the namer, toward a goal that lists no copy', async () => {
    await withReusedDatabase(name, async (start) => {
      await start.conn.exec(TREE)
      const from = await dialect.introspect(start.conn)
      await start.conn.exec('create index m_lower on m (lower(note))')
      // As a declared schema has it: no copy's name from a catalog (with them, the online form names the copies so).
      const read = await dialect.introspect(start.conn)
      const target = { ...read, tables: read.tables.map((t) => withoutCopies(t)) }
      const plan = dialect.plan(diff(from, target, [], dialect).changes, safePolicy)
      expect(plan.steps.map((s) => s.sql)).toEqual(['CREATE INDEX m_lower ON public.m ((lower(note)))'])
    })
  })
})
