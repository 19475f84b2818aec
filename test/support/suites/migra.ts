/**
 * migra's schema-diff fixtures (vendored in test/fixtures/migra, see its SOURCES.md), as a suite to run against
 * any PostgreSQL server. For each case and direction: load the start schema into database A and the target into
 * B, apply Keel's plan for A → B to A, then require (1) that Keel finds no difference left between A and B, and
 * (2) where the system `pg_dump` can dump the server, that `pg_dump --schema-only` of A and B agree after the
 * normalisation documented in test/support/pg-dump.ts. Forward, where migra's own migration drops a table or a
 * column, Keel's plan must say it loses data (the destructive-change guard). Cases Keel cannot support yet are
 * listed, with the reason, in test/conformance/migra-unsupported.json.
 * Used by test/conformance/migra.test.ts (the system server) and the version matrix (test/matrix/).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { createScratchDatabase, type ScratchDatabase } from '../../../src/db/scratch.js'
import type { IntrospectOptions } from '../../../src/dialect/dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import unsupported from '../../conformance/migra-unsupported.json' with { type: 'json' }
import { dropAfterFile } from '../databases.js'
import { normalizePgDump, pgDumpSchema } from '../pg-dump.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/migra/fixtures')
const dialect = getDialect('postgres')

/** Per-case scope, as upstream ran them (MANIFEST.md). */
const scopes: Record<string, { readonly introspect: IntrospectOptions; readonly dump: readonly string[] }> = {
  singleschema: { introspect: { namespaces: ['goodschema'] }, dump: ['--schema=goodschema'] },
  excludeschema: { introspect: { excludeNamespaces: ['excludedschema'] }, dump: ['--exclude-schema=excludedschema'] },
}

/** Unsupported entries name a whole case (`rls`) or one direction of it (`extversions (reverse)`). */
const isUnsupported = (title: string, name: string) => name in unsupported || title in unsupported
export const migraCases: readonly string[] = readdirSync(FIXTURES).filter((name) => !(name in unsupported))
const read = (name: string, file: string) => readFileSync(join(FIXTURES, name, file), 'utf8')

export interface MigraSuiteOptions {
  /** Compare `pg_dump --schema-only` too: only where the system pg_dump is at least the server's major version. */
  readonly pgDump: boolean
  /** Cases to run (default: all supported). */
  readonly cases?: readonly string[]
  /** Drop the databases when the file ends (databases.ts dropAfterFile): only on a server that outlives the file. */
  readonly dropAfterFile?: boolean
}

/** Defines `migra fixtures on <label>` against the server `url()` names (read when the tests run). */
export function migraSuite(label: string, url: () => string, options: MigraSuiteOptions): void {
  describe(`migra fixtures on ${label}${options.pgDump ? '' : " (Keel's own diff only: the system pg_dump cannot dump this version)"}`, () => {
    beforeAll(async () => {
      // migra's fixtures grant to this role; roles are server-wide, so create it once, tolerating a parallel creator.
      const conn = await openDatabase(url())
      await conn
        .exec(
          `DO $$ BEGIN CREATE ROLE schemainspect_test_role; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
        )
        .finally(() => conn.close())
    })

    for (const name of options.cases ?? migraCases) {
      for (const direction of ['forward', 'reverse'] as const) {
        if (isUnsupported(`${name} (${direction})`, name)) continue
        it.concurrent(`${name} (${direction})`, async () => {
          const [startFile, targetFile] = direction === 'forward' ? ['a.sql', 'b.sql'] : ['b.sql', 'a.sql']
          const start = read(name, startFile) + (direction === 'forward' ? `\n${read(name, 'additions.sql')}` : '')
          const expected =
            direction === 'forward' ? read(name, name === 'everything' ? 'expected2.sql' : 'expected.sql') : ''
          const dropsData = /\bdrop\s+(table|column)\b/i.test(expected)
          await assertConverges(url(), name, start, read(name, targetFile), dropsData, options)
        })
      }
    }
  })
}

async function assertConverges(
  url: string,
  name: string,
  startSql: string,
  targetSql: string,
  dropsData: boolean,
  { pgDump, dropAfterFile: later = false }: MigraSuiteOptions,
): Promise<void> {
  const scope = scopes[name] ?? { introspect: {}, dump: [] }
  const databases: ScratchDatabase[] = []
  try {
    const a = await createScratchDatabase(url, 'keel_migra_a')
    databases.push(a)
    const b = await createScratchDatabase(url, 'keel_migra_b')
    databases.push(b)
    await a.conn.exec(startSql)
    await b.conn.exec(targetSql)

    const before = await dialect.introspect(a.conn, scope.introspect)
    const target = await dialect.introspect(b.conn, scope.introspect)
    const result = diff(before, target, [], dialect)
    const plan = dialect.plan(result.changes, safePolicy)
    if (dropsData)
      expect(
        plan.steps.some((step) => step.dataLoss !== 'none'),
        `${name}: data loss not flagged`,
      ).toBe(true)
    await applyPlan(a.conn, plan)

    const after = await dialect.introspect(a.conn, scope.introspect)
    expect(diff(after, target, [], dialect).changes, `${name}: difference left after applying the plan`).toEqual([])
    if (!pgDump) return
    const [dumpA, dumpB] = await Promise.all([pgDumpSchema(a.url, scope.dump), pgDumpSchema(b.url, scope.dump)])
    expect(normalizePgDump(dumpA), `${name}: pg_dump differs`).toEqual(normalizePgDump(dumpB))
  } finally {
    if (later) for (const db of databases) dropAfterFile(db)
    else await Promise.all(databases.map((db) => db.dispose()))
  }
}
