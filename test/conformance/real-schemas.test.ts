/**
 * Real schemas written by others (vendored in test/fixtures, each folder with its SOURCES.md): each loads, is
 * inspected, is recreated in an empty database from Keel's plan for diff(empty, inspected), and the recreation has no
 * difference from the original, by Keel's introspection and by pg_dump (normalised as in test/support/pg-dump.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { safePolicy } from '../../src/plan/policy.js'
import { emptySchema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { POSTGRES_URL } from '../support/databases.js'
import { normalizePgDump, pgDumpSchema } from '../support/pg-dump.js'

const CORPUS = join(import.meta.dirname, '../fixtures')
const dialect = getDialect('postgres')

/** Chinook's files create and enter their own database first; those lines are dropped to load into ours. */
const withoutDatabaseSwitch = (sql: string) =>
  sql.replace(/^(DROP DATABASE|CREATE DATABASE|\\c)\b.*$/gim, '-- (removed for loading into a test database)')

const SCHEMAS: Record<string, (sql: string) => string> = {
  'chinook/Chinook_PostgreSql.schema.sql': withoutDatabaseSwitch,
  'chinook/Chinook_PostgreSql_AutoIncrementPKs.schema.sql': withoutDatabaseSwitch,
  'chinook/Chinook_PostgreSql_SerialPKs.schema.sql': withoutDatabaseSwitch,
  'pagila/pagila-schema-2022.sql': (sql) => sql,
  'sakila/jooq/postgres-sakila-schema.sql': (sql) => sql,
}

/**
 * The `public` namespace exists in every database and Keel does not manage it (the model never lists it), so its
 * comment and privileges, which pagila and sakila set, are left out of the dump comparison. Everything else must match.
 */
const withoutPublicNamespace = (statements: readonly string[]) =>
  statements.filter(
    (s) => !/^(COMMENT ON SCHEMA public|GRANT .* ON SCHEMA public|REVOKE .* ON SCHEMA public)\b/.test(s),
  )

describe('real PostgreSQL schemas from the corpus', () => {
  for (const [file, prepare] of Object.entries(SCHEMAS)) {
    it.concurrent(`${file} is recreated from empty exactly`, async () => {
      const databases: ScratchDatabase[] = []
      try {
        const original = await createScratchDatabase(POSTGRES_URL, 'keel_real_a')
        databases.push(original)
        const copy = await createScratchDatabase(POSTGRES_URL, 'keel_real_b')
        databases.push(copy)
        await original.conn.exec(prepare(readFileSync(join(CORPUS, file), 'utf8')))

        const inspected = await dialect.introspect(original.conn)
        expect(inspected.tables.length).toBeGreaterThan(5)
        const plan = dialect.plan(diff(emptySchema, inspected, [], dialect).changes, safePolicy)
        await applyPlan(copy.conn, plan)

        const recreated = await dialect.introspect(copy.conn)
        expect(diff(recreated, inspected, [], dialect).changes).toEqual([])
        expect(diff(inspected, recreated, [], dialect).changes).toEqual([])
        const [dumpA, dumpB] = await Promise.all([pgDumpSchema(original.url), pgDumpSchema(copy.url)])
        expect(withoutPublicNamespace(normalizePgDump(dumpB))).toEqual(withoutPublicNamespace(normalizePgDump(dumpA)))
      } finally {
        await Promise.all(databases.map((db) => db.dispose()))
      }
    })
  }
})
