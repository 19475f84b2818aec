/**
 * The versioned lifecycle through the CLI (generate → migrate → change → generate → migrate → rollback → migrate,
 * check clean throughout), as a suite to run against any database a URL names, in the SQL of its dialect (dialects.ts).
 * Used by test/integration/migrate/lifecycle.test.ts (system server, PGlite, a SQLite file) and the version matrix
 * (test/matrix/).
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import type { Schema } from '../../../src/schema/model.js'
import { runKeel, useProject, withConnection } from '../../integration/migrate/project.js'
import type { SuiteDialect, WithUrl } from './dialects.js'

const introspect = (conn: Connection): Promise<Schema> =>
  getDialect(conn.dialect).introspect(conn, { excludeTables: ['keel_migrations'] })

export interface LifecycleSuiteOptions {
  /** Runs `fn` with the URL of a fresh database, alive for the duration of `fn`. */
  readonly withUrl: WithUrl
  /** The database's SQL and facts; `check` and the final `generate` run after every step where checks are cheap. */
  readonly dialect: SuiteDialect
}

export function lifecycleSuite(label: string, options: LifecycleSuiteOptions): void {
  describe(`versioned lifecycle through the CLI on ${label}`, () => {
    const project = useProject('export default { migrations: "migrations", schema: "schema.sql" }\n')

    it('generate → migrate → change → generate → migrate → rollback → migrate, check clean throughout', {
      timeout: 180_000,
    }, async () => {
      await options.withUrl(async (url) => {
        const keel = (...args: string[]) => runKeel(project, url, ...args)
        const ok = async (...args: string[]) => {
          const run = await keel(...args)
          expect(run.stderr.match(/error\[\w+\].*/)?.[0] ?? '', `keel ${args.join(' ')}`).toBe('')
          expect(run.code, `keel ${args.join(' ')}`).toBe(0)
          return run
        }
        const { sql, cheapCheck: full, concurrentIndexBuilds } = options.dialect
        writeFileSync(join(project.root, 'schema.sql'), sql.lifecycleV1)
        await ok('generate', 'create_users')
        expect(readdirSync(project.migrations).filter((f) => f !== 'keel.sum')).toHaveLength(1)
        await ok('migrate')
        if (full) await ok('check')
        const s1 = await withConnection(url, introspect)

        writeFileSync(join(project.root, 'schema.sql'), sql.lifecycleV2)
        const second = await ok('generate', '--json')
        // A concurrent index build is a no-transaction migration of its own, apart from the transactional steps;
        // where indexes are built in the transaction, everything is one transactional migration.
        const generated: { steps: { transactional: boolean }[] }[] = JSON.parse(second.stdout).generated
        const outside = generated.filter((g) => g.steps.every((s) => !s.transactional))
        expect(outside).toHaveLength(concurrentIndexBuilds ? 1 : 0)
        expect(generated).toHaveLength(concurrentIndexBuilds ? 2 : 1)
        expect(generated.every((g) => outside.includes(g) || g.steps.every((s) => s.transactional))).toBe(true)
        await ok('migrate')
        if (full) await ok('check')
        const s2 = await withConnection(url, introspect)
        expect(s2).not.toEqual(s1)

        const back = await ok('rollback', '--steps', String(generated.length), '--json')
        expect(JSON.parse(back.stdout).rolledBack).toHaveLength(generated.length)
        expect(await withConnection(url, introspect)).toEqual(s1)
        await ok('migrate')
        expect(await withConnection(url, introspect)).toEqual(s2)
        await ok('check')

        const status = JSON.parse((await ok('status', '--json')).stdout)
        expect(status.migrations.map((m: { state: string }) => m.state)).toEqual(
          Array(1 + generated.length).fill('applied'),
        )
        expect(status.problems).toEqual([])
        if (full) {
          const nothing = await ok('generate')
          expect(nothing.stdout).toContain('Nothing to generate')
          expect(readdirSync(project.migrations).filter((f) => f !== 'keel.sum')).toHaveLength(1 + generated.length)
        }
      })
    })
  })
}
