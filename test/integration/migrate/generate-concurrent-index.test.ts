/**
 * Issue 11: what `keel generate` writes for an index on an existing table is the safe form, says so, and lints
 * clean: CREATE INDEX CONCURRENTLY in a migration that starts with `-- keel:no-transaction`, no finding from
 * `keel lint`, and `keel migrate` builds a valid index on a real PostgreSQL server.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withDatabase } from '../../support/databases.js'
import { createProject, runKeel, type TestProject, withConnection } from './project.js'

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

const USERS = 'create table users (id bigint generated always as identity primary key, email text not null);\n'

describe('keel generate on a change that needs CREATE INDEX CONCURRENTLY', () => {
  it('writes -- keel:no-transaction, lints clean, and keel migrate builds the index', {
    timeout: 120_000,
  }, async () => {
    await withDatabase('postgres', async ({ url }) => {
      const ok = async (...args: string[]) => {
        const run = await runKeel(project, url, ...args)
        expect(run.code, `keel ${args.join(' ')}: ${run.stderr}`).toBe(0)
        return run
      }
      writeFileSync(join(project.root, 'schema.sql'), USERS)
      await ok('generate', 'users')
      await ok('migrate')

      writeFileSync(join(project.root, 'schema.sql'), `${USERS}create index users_email_idx on users (email);\n`)
      await ok('generate', 'email_idx')
      const folder = readdirSync(project.migrations).find((f) => f.endsWith('_email_idx'))
      expect(folder).toBeDefined()
      const up = readFileSync(join(project.migrations, folder as string, 'up.sql'), 'utf8')
      const lines = up.split('\n')
      // The directive is among the leading comments (where the runner reads directives), before any statement.
      expect(
        lines.slice(
          0,
          lines.findIndex((l) => l !== '' && !l.startsWith('--')),
        ),
      ).toContain('-- keel:no-transaction')
      expect(up).toContain('CREATE INDEX CONCURRENTLY users_email_idx ON public.users (email);')

      // keel lint with no files lints the pending migrations, with the live database's facts.
      const lint = JSON.parse((await ok('lint', '--json')).stdout)
      expect(lint.files).toEqual([expect.stringMatching(new RegExp(`${folder}/up\\.sql$`))])
      expect(lint.findings).toEqual([])

      const applied = await ok('migrate')
      expect(applied.stderr).toContain(`applying ${folder}`)
      const index = await withConnection(url, (conn) =>
        conn.query<{ valid: boolean; def: string }>(
          `select i.indisvalid as valid, pg_get_indexdef(i.indexrelid) as def
             from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'users_email_idx'`,
        ),
      )
      expect(index).toEqual([{ valid: true, def: 'CREATE INDEX users_email_idx ON public.users USING btree (email)' }])
      const status = JSON.parse((await ok('status', '--json')).stdout)
      expect(status.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'applied'])

      // A mixed plan (a new table, and an index on the existing users): the concurrent build is a no-transaction
      // migration of its own, the new table a transactional one; both lint clean and apply.
      const ORDERS = 'create table orders (id bigint primary key, user_id bigint);\n'
      writeFileSync(
        join(project.root, 'schema.sql'),
        `${USERS}create index users_email_idx on users (email);\ncreate index users_id_email_idx on users (id, email);\n${ORDERS}`,
      )
      const generated = JSON.parse((await ok('generate', 'mixed', '--json')).stdout).generated
      const ups = generated.map((g: { dir: string }) => readFileSync(join(g.dir, 'up.sql'), 'utf8'))
      expect(ups).toHaveLength(2)
      const concurrent = ups.findIndex((u: string) => u.includes('CONCURRENTLY'))
      expect(ups[concurrent]).toContain('-- keel:no-transaction')
      expect(ups[concurrent]).not.toContain('CREATE TABLE')
      expect(ups[1 - concurrent]).toContain('CREATE TABLE public.orders')
      expect(ups[1 - concurrent]).not.toContain('keel:no-transaction')
      expect(generated[concurrent].id).toMatch(/_mixed_concurrently$/)
      expect(JSON.parse((await ok('lint', '--json')).stdout).findings).toEqual([])
      await ok('migrate')
      const built = await withConnection(url, (conn) =>
        conn.query<{ valid: boolean }>(
          `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
            where c.relname = 'users_id_email_idx'`,
        ),
      )
      expect(built).toEqual([{ valid: true }])
      const after = JSON.parse((await ok('status', '--json')).stdout)
      expect(after.migrations.map((m: { state: string }) => m.state)).toEqual([
        'applied',
        'applied',
        'applied',
        'applied',
      ])
    })
  })
})
