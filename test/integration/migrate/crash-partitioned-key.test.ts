/**
 * The online form of a key added to a partitioned table (partitioned-add-key.ts), written by keel generate, applied
 * by `keel migrate` SIGKILLed again and again: at each of its statements as the server shows it running (the check,
 * each leaf's concurrent build, the leaves' ADD CONSTRAINT ... USING INDEX, the partitioned table's ADD CONSTRAINT),
 * then at delays from its start. A killed runner's session may go on and finish its statement; the next runner then
 * takes up after it. After the last run: every migration applied once with all its statements counted, no statement
 * applied twice (a concurrent build done again fails with 42P07, an ADD CONSTRAINT with 42P16 or 42710: the runs
 * would not end at 0; each leaf holds exactly its two keys' indexes, valid), the database the goal's (no difference,
 * the same pg_dump), every row kept. PostgreSQL 15.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
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

const TREE = partitionTree({ euIdsBelow: 10_000_000 })
const KEYS = 'alter table m add primary key (id, region);\nalter table m add unique (k, region, id);\n'
// Enough rows that each concurrent build takes a moment to catch.
const ROWS = partitionRows(400_000)
const COUNT = PARTITION_ROWS_BY_REGION

describe('keel migrate SIGKILLed through a partitioned key’s online form, on postgres', () => {
  it('takes up after each kill: every statement applied once, the goal reached, rows kept', {
    timeout: 300_000,
  }, async () => {
    await withDatabase('postgres', async (goal) => {
      await goal.conn.exec(`${TREE}${KEYS}`)
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
        writeFileSync(join(project.root, 'schema.sql'), `${TREE}${KEYS}`)
        await keel('generate', 'keys')
        const texts = readdirSync(project.migrations)
          .filter((d) => d.includes('_keys'))
          .sort()
          .map((d) => readFileSync(join(project.migrations, d, 'up.sql'), 'utf8'))
        // What to catch running: each statement's first line (the DO blocks by their first words).
        const statements = texts
          .flatMap((text) => text.split(/;\n/))
          .map((s) => s.replace(/^(--.*\n|\s)*/g, '').split('\n')[0] ?? '')
          .filter((s) => /^(CREATE|ALTER|DO)/.test(s))
        expect(statements.filter((s) => s.startsWith('CREATE UNIQUE INDEX CONCURRENTLY'))).toHaveLength(4)

        const spawnMigrate = () => spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
        const { killed, caught } = await killRunsAtStatements(conn, statements, spawnMigrate)
        // The four concurrent builds at least are caught running (the catalog-only statements may pass too fast).
        expect(caught.filter((s) => s.startsWith('CREATE UNIQUE INDEX CONCURRENTLY'))).toHaveLength(4)
        expect(killed).toBeGreaterThan(4)

        await keel('migrate')
        const journal = await new Journal(conn, 'public').list()
        expect(journal.every((r) => r.status === 'applied')).toBe(true)
        // Each leaf holds its two keys' indexes, once each, valid, and nothing else.
        expect(
          await conn.query(`select c.relname as name, i.indisvalid as valid from pg_index i
            join pg_class c on c.oid = i.indexrelid where i.indrelid in ('m_eu_1'::regclass, 'm_us'::regclass) order by 1`),
        ).toEqual([
          { name: 'm_eu_1_k_region_id_key', valid: true },
          { name: 'm_eu_1_pkey', valid: true },
          { name: 'm_us_k_region_id_key', valid: true },
          { name: 'm_us_pkey', valid: true },
        ])
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
