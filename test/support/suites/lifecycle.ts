/**
 * The versioned lifecycle through the CLI (generate → migrate → change → generate → migrate → rollback → migrate,
 * check clean throughout), as a suite to run against any database a URL names.
 * Used by test/integration/migrate/lifecycle.test.ts (system server, PGlite) and the version matrix (test/matrix/).
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import type { Schema } from '../../../src/schema/model.js'
import { createProject, runKeel, type TestProject, withConnection } from '../../integration/migrate/project.js'

const V1 = `create table users (id bigint generated always as identity primary key, email text not null);
create index users_email_idx on users (email);
`
const V2 = `create table users (id bigint generated always as identity primary key, email text not null, name text);
create index users_email_idx on users (email);
create index users_name_idx on users (name);
create table posts (id int primary key, author_id bigint not null references users (id), title text not null);
`

const introspect = (conn: Connection): Promise<Schema> =>
  getDialect(conn.dialect).introspect(conn, { excludeTables: ['keel_migrations'] })

export interface LifecycleSuiteOptions {
  /** Runs `fn` with the URL of a fresh database, alive for the duration of `fn`. */
  readonly withUrl: (fn: (url: string) => Promise<void>) => Promise<void>
  /** Run `check` and the final `generate` after every step (PGlite's scratch databases cost seconds: at the end only). */
  readonly full: boolean
}

export function lifecycleSuite(label: string, options: LifecycleSuiteOptions): void {
  describe(`versioned lifecycle through the CLI on ${label}`, () => {
    let project: TestProject
    beforeEach(() => {
      project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
    })
    afterEach(() => project.dispose())

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
        writeFileSync(join(project.root, 'schema.sql'), V1)
        const full = options.full
        await ok('generate', 'create_users')
        expect(readdirSync(project.migrations).filter((f) => f !== 'keel.sum')).toHaveLength(1)
        await ok('migrate')
        if (full) await ok('check')
        const s1 = await withConnection(url, introspect)

        writeFileSync(join(project.root, 'schema.sql'), V2)
        const second = await ok('generate', '--json')
        // The concurrent index build is a no-transaction migration of its own, apart from the transactional steps.
        const generated: { steps: { transactional: boolean }[] }[] = JSON.parse(second.stdout).generated
        const outside = generated.filter((g) => g.steps.every((s) => !s.transactional))
        expect(outside).toHaveLength(1)
        expect(generated.length).toBeGreaterThan(1)
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
