/**
 * `keel inspect --format ts` loses nothing on the corpus schemas (issue 13): the printed module, loaded back as a
 * source, has no difference from the database it was printed from in either direction, a database created from it
 * equals the original by pg_dump, and the printer leaves no `// keel:` note (nothing it could not declare). Pagila
 * holds partitions, a domain, functions, triggers, an aggregate and grants; Sakila (jOOQ's port) rules and views.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { directPolicy } from '../../src/plan/policy.js'
import { emptySchema } from '../../src/schema/model.js'
import { printSchemaModule } from '../../src/schema/print-ts.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { loadSchemaSource } from '../../src/source/load-source.js'
import { POSTGRES_URL } from '../support/databases.js'
import { normalizePgDump, pgDumpSchema } from '../support/pg-dump.js'

const CORPUS = join(import.meta.dirname, '../fixtures')
const dialect = getDialect('postgres')
const dir = mkdtempSync(join(tmpdir(), 'keel-inspect-ts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Chinook's files create and enter their own database first; those lines are dropped to load into ours. */
const withoutDatabaseSwitch = (sql: string) =>
  sql.replace(/^(DROP DATABASE|CREATE DATABASE|\\c)\b.*$/gim, '-- (removed for loading into a test database)')

const CASES: Record<string, () => string> = {
  pagila: () => readFileSync(join(CORPUS, 'pagila/pagila-schema-2022.sql'), 'utf8'),
  sakila: () => readFileSync(join(CORPUS, 'sakila/jooq/postgres-sakila-schema.sql'), 'utf8'),
  chinook: () => withoutDatabaseSwitch(readFileSync(join(CORPUS, 'chinook/Chinook_PostgreSql.schema.sql'), 'utf8')),
  // PostgreSQL accepts an empty enum label; NOT VALID constraints and an exclusion constraint ride along.
  'enum label and constraints': () => `CREATE EXTENSION btree_gist;
CREATE TYPE answer AS ENUM ('', 'yes', 'no');
CREATE TABLE poll (id int PRIMARY KEY, answer answer NOT NULL DEFAULT '', during tstzrange,
  EXCLUDE USING gist (id WITH =, during WITH &&));
ALTER TABLE poll ADD CONSTRAINT poll_id_check CHECK (id > 0) NOT VALID;
CREATE TABLE vote (poll_id int);
ALTER TABLE vote ADD CONSTRAINT vote_poll_fkey FOREIGN KEY (poll_id) REFERENCES poll (id) NOT VALID;`,
}

/** `public` exists in every database and Keel does not manage it; its comment and grants are left out. */
const withoutPublicNamespace = (statements: readonly string[]) =>
  statements.filter(
    (s) => !/^(COMMENT ON SCHEMA public|GRANT .* ON SCHEMA public|REVOKE .* ON SCHEMA public)\b/.test(s),
  )

describe('inspect --format ts round trips', () => {
  // One at a time: each case creates three databases and runs pg_dump twice, too much at once on a loaded machine.
  it.each(Object.keys(CASES))('%s', async (name) => {
    const databases: ScratchDatabase[] = []
    try {
      const original = await createScratchDatabase(POSTGRES_URL, 'keel_ts_a')
      databases.push(original)
      const copy = await createScratchDatabase(POSTGRES_URL, 'keel_ts_b')
      databases.push(copy)
      await original.conn.exec((CASES[name] as () => string)())
      const live = await dialect.introspect(original.conn)

      const printed = printSchemaModule(live)
      expect(printed).not.toContain('// keel:')
      const file = join(dir, `${name.replaceAll(' ', '-')}.ts`)
      writeFileSync(file, printed)
      const read = await loadSchemaSource(file, { cwd: dir, near: POSTGRES_URL })
      expect(diff(live, read.schema, [], dialect).changes).toEqual([])
      expect(diff(read.schema, live, [], dialect).changes).toEqual([])

      await applyPlan(copy.conn, dialect.plan(diff(emptySchema, read.schema, [], dialect).changes, directPolicy))
      const [dumpA, dumpB] = await Promise.all([pgDumpSchema(original.url), pgDumpSchema(copy.url)])
      expect(withoutPublicNamespace(normalizePgDump(dumpB))).toEqual(withoutPublicNamespace(normalizePgDump(dumpA)))
    } finally {
      await Promise.all(databases.map((db) => db.dispose()))
    }
  })
})
