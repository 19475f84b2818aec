/**
 * Production-shaped schemas (test/support/prod-schema.mjs) converge exactly, checked by pg_dump and not only by
 * Keel's own diff: from an empty database to each version, and from each version to the other (an older
 * production schema brought up to date, and back). Each case loads `from` and `to` into two databases with psql's
 * SQL as a person wrote it, applies Keel's plan for diff(from, to) to the first, and requires its
 * `pg_dump --schema-only` to equal the second's. The full size runs in bench/.
 */
import { describe, expect, it } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { getDialect } from '../../src/dialect/registry.js'
import { diff } from '../../src/diff/diff.js'
import { safePolicy } from '../../src/plan/policy.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { POSTGRES_URL } from '../support/databases.js'
import { normalizePgDump, pgDumpSchema } from '../support/pg-dump.js'
import { prodSchemaSql, prodTableCount } from '../support/prod-schema.mjs'

const dialect = getDialect('postgres')
/** Small enough for CI: 3 groups are 21-24 tables and every kind of object the generator makes. */
const GROUPS = 3

const cases: readonly (readonly [string, 0 | 1 | 2, 1 | 2])[] = [
  ['empty to version 1', 0, 1],
  ['empty to version 2', 0, 2],
  ['version 1 to version 2', 1, 2],
  ['version 2 to version 1', 2, 1],
]

describe('production-shaped schema', () => {
  it.concurrent.each(cases)('%s is exact by pg_dump', async (_label, fromVersion, toVersion) => {
    const databases: ScratchDatabase[] = []
    try {
      const from = await createScratchDatabase(POSTGRES_URL, 'keel_prod_from')
      databases.push(from)
      const to = await createScratchDatabase(POSTGRES_URL, 'keel_prod_to')
      databases.push(to)
      if (fromVersion !== 0) await from.conn.exec(prodSchemaSql(GROUPS, fromVersion))
      await to.conn.exec(prodSchemaSql(GROUPS, toVersion))

      const [current, desired] = await Promise.all([dialect.introspect(from.conn), dialect.introspect(to.conn)])
      expect(desired.tables).toHaveLength(prodTableCount(GROUPS, toVersion))
      const result = diff(current, desired, [], dialect)
      expect(result.questions).toEqual([])
      await applyPlan(from.conn, dialect.plan(result.changes, safePolicy))

      expect(diff(await dialect.introspect(from.conn), desired, [], dialect).changes).toEqual([])
      const [dumpFrom, dumpTo] = await Promise.all([pgDumpSchema(from.url), pgDumpSchema(to.url)])
      expect(normalizePgDump(dumpFrom)).toEqual(normalizePgDump(dumpTo))
    } finally {
      await Promise.all(databases.map((db) => db.dispose()))
    }
  })
})
