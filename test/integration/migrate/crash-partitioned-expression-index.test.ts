/**
 * The online form of an expression index added to a partitioned table (partitioned-add-index.ts), written by keel
 * generate, applied by `keel migrate` SIGKILLed again and again, as crash-partitioned-key.test.ts does for a key: at
 * each of its statements as the server shows it running (the check, each leaf's concurrent build, the transaction
 * that creates the indexes ON ONLY and attaches the copies), then at delays from its start. A killed runner's session
 * may go on and finish its statement; the next runner then takes up after it. After the last run: every migration
 * applied once with all its statements counted, no statement applied twice (a concurrent build done again fails with
 * 42P07, an ATTACH of an attached index with 42P17: the runs would not end at 0), each leaf holding exactly its copies
 * of the two indexes, valid, none INVALID left by a killed build, each named as the goal's (`text(k)`: the goal's
 * `_text_idx`, not the printed text's `_k_idx`), the database the goal's (no difference, the same pg_dump), every row
 * kept. PostgreSQL 15.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { Journal } from '../../../src/migrate/journal.js'
import { withDatabase } from '../../support/databases.js'
import { PARTITION_ROWS_BY_REGION, partitionRows, partitionTree } from '../../support/partition-tree.js'
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'
import { killRunsAtStatements } from './kill-runs.js'
import { runKeel, useProject } from './project.js'
import { assertBuilt, spawnKeel } from './spawn.js'

const dialect = getDialect('postgres')
const project = useProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
beforeAll(() => assertBuilt())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const TREE = partitionTree({ euIdsBelow: 10_000_000, note: true })
// A call the server prints as it was written, and one it prints as a cast (its copies named from the call).
const INDEXES = 'create index m_lower on m (lower(note));\ncreate index m_text on m (text(k));\n'
// Enough rows that each concurrent build takes a moment to catch.
const ROWS = partitionRows(400_000, { note: true })
const COUNT = PARTITION_ROWS_BY_REGION

describe('keel migrate SIGKILLed through a partitioned expression index’s online form, on postgres', () => {
  it('takes up after each kill: every statement applied once, the goal reached, rows kept', {
    timeout: 300_000,
  }, async () => {
    await withDatabase('postgres', async (goal) => {
      await goal.conn.exec(`${TREE}${INDEXES}`)
      await withDatabase('postgres', async ({ url, conn }) => {
        const keel = async (...args: string[]) => {
          const run = await runKeel(project, url, ...args)
          expect(run.code, run.stderr).toBe(0)
        }
        writeFileSync(join(project.root, 'schema.sql'), TREE)
        await keel('generate', 'init')
        await keel('migrate')
        await conn.exec(ROWS)
        const before = await conn.query(COUNT)
        writeFileSync(join(project.root, 'schema.sql'), `${TREE}${INDEXES}`)
        await keel('generate', 'indexes')
        const texts = readdirSync(project.migrations)
          .filter((d) => d.includes('_indexes'))
          .sort()
          .map((d) => readFileSync(join(project.migrations, d, 'up.sql'), 'utf8'))
        // What to catch running: each statement's first line (the DO blocks by their first words).
        const statements = texts
          .flatMap((text) => text.split(/;\n/))
          .map((s) => s.replace(/^(--.*\n|\s)*/g, '').split('\n')[0] ?? '')
          .filter((s) => /^(CREATE|ALTER|DO)/.test(s))
        const builds = statements.filter((s) => s.startsWith('CREATE INDEX CONCURRENTLY'))
        // One build a leaf for each index, the cast's under the goal's name: the plan is the online form.
        expect(builds).toHaveLength(4)
        expect(builds.filter((s) => s.includes('_text_idx '))).toHaveLength(2)

        const spawnMigrate = () => spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
        // First a build killed halfway with its server session: a writer's open transaction on m_eu_1 holds the
        // first concurrent build (of m_eu_1's copy) after it committed its index, INVALID, and waits for writers;
        // the runner is SIGKILLed and its sessions terminated there. The index stays, INVALID, for the next runs.
        const writer = await openDatabase(url)
        await writer.exec('begin; lock table m_eu_1 in row exclusive mode')
        const halfway = spawnMigrate()
        const keelSessions = (where: string) =>
          conn.query(`select pid from pg_stat_activity where datname = current_database()
            and application_name like 'keel-run %' ${where}`)
        // Watched until then however long the runner takes to start under load (a concurrent build waits for writers
        // up to the lock deadline, 1 min, in one try): a run that ends first fails the case below.
        let ended = false
        void halfway.done.then(() => {
          ended = true
        })
        const waiting = "and wait_event_type = 'Lock' and query like 'CREATE INDEX CONCURRENTLY%'"
        while (!ended && (await keelSessions(waiting)).length === 0) await sleep(25)
        halfway.child.kill('SIGKILL')
        expect((await halfway.done).signal).toBe('SIGKILL')
        await conn.query(`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name like 'keel-run %'`)
        while ((await keelSessions('')).length > 0) await sleep(25)
        await writer.exec('commit')
        await writer.close()
        expect(
          await conn.query(`select x.indrelid::regclass::text as on from pg_index x
            where not x.indisvalid and x.indrelid in (select relid from pg_partition_tree('m'))`),
        ).toEqual([{ on: 'm_eu_1' }])

        const { killed, caught } = await killRunsAtStatements(conn, statements, spawnMigrate)
        // The four concurrent builds at least are caught running, each between the copies built before and after it.
        expect(caught.filter((s) => s.startsWith('CREATE INDEX CONCURRENTLY'))).toHaveLength(4)
        expect(killed).toBeGreaterThan(4)

        await keel('migrate')
        const journal = await new Journal(conn, 'public').list()
        expect(journal.every((r) => r.status === 'applied')).toBe(true)
        // Every index of the tree once, valid, under the goal's names: no INVALID build left behind, none twice.
        const indexes = (c: typeof conn) =>
          c.query(`select c.relname as name, x.indrelid::regclass::text as on, x.indisvalid as valid,
              h.inhparent::regclass::text as parent
            from pg_index x join pg_class c on c.oid = x.indexrelid left join pg_inherits h on h.inhrelid = x.indexrelid
            where x.indrelid in (select relid from pg_partition_tree('m')) order by 1`)
        const made = await indexes(conn)
        expect(made).toEqual(await indexes(goal.conn))
        expect(made).toHaveLength(8)
        expect(made.every((i) => (i as { valid: boolean }).valid)).toBe(true)
        // The journal's table aside (keel's own, not the schema's).
        const schema = async (c: typeof conn) => {
          const read = await dialect.introspect(c)
          return { ...read, tables: read.tables.filter((t) => !t.name.name.startsWith('keel_')) }
        }
        expect(diff(await schema(conn), await schema(goal.conn), [], dialect).changes).toEqual([])
        const dump = async (at: string) =>
          normalizePgDump(await pgDumpSchema(at)).filter((line) => !/keel_migrations|keel_/.test(line))
        expect(await dump(url)).toEqual(await dump(goal.url))
        expect(await conn.query(COUNT)).toEqual(before)
      })
    })
  })
})
