/**
 * `keel import --from knex`: a knex migrations folder (CommonJS and TypeScript, schema builder, hasColumn,
 * a data insert, SQLite's table rebuild, a no-transaction migration) is converted by running it with knex on
 * a scratch database; a database knex's own migrator built is then adopted (`keel baseline --from-peer`
 * reads knex_migrations), `keel migrate` runs only what knex had not, and the result is the schema knex
 * would have built.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJiti } from 'jiti'
import { type Knex, knex } from 'knex'
import { afterAll, describe, expect, test } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'

const FOLDER = join(import.meta.dirname, '../../fixtures/interop/knex/migrations')
const FILES = [
  '20240101000000_create_users.js',
  '20240102000000_create_posts.ts',
  '20240103000000_user_bio.js',
  '20240104000000_roles.js',
  '20240105000000_published_index.js',
]
const root = mkdtempSync(join(tmpdir(), 'keel-knex-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** knex's own migrator over the fixture folder (its modules loaded with jiti, as knex would with a TS loader). */
function migrationSource(count: number): Knex.MigrationSource<string> {
  const jiti = createJiti(import.meta.url)
  return {
    getMigrations: async () => FILES.slice(0, count),
    getMigrationName: (file) => file,
    getMigration: async (file) => (await jiti.import(join(FOLDER, file))) as Knex.Migration,
  }
}

async function knexMigrate(config: Knex.Config, count: number): Promise<void> {
  const db = knex(config)
  try {
    await db.migrate.latest({ migrationSource: migrationSource(count) })
  } finally {
    await db.destroy()
  }
}

/** Imports the folder, adopts a database knex migrated up to the fourth migration, migrates the rest. */
async function adopt(url: string, cwd: string): Promise<void> {
  const keel = (...args: string[]) => runKeel([...args, '--url', url, '--json'], { cwd })
  const imported = await keel('import', FOLDER, '--from', 'knex', '--out', 'migrations')
  expect(imported.stderr).not.toContain('error[')
  expect(JSON.parse(imported.stdout).migrations).toHaveLength(5)
  const marked = await keel('baseline', '--from-peer')
  expect(marked.stderr).not.toContain('error[')
  expect(JSON.parse(marked.stdout).marked).toEqual([
    '20240101000000_create_users',
    '20240102000000_create_posts',
    '20240103000000_user_bio',
    '20240104000000_roles',
  ])
  // Only what knex had not applied runs; status then shows the four by baseline and the fifth by migrate.
  const migrated = await keel('migrate')
  expect(migrated.code).toBe(0)
  expect(JSON.parse(migrated.stdout).applied).toMatchObject([{ version: '20240105000000', name: 'published_index' }])
  const status = await keel('status')
  expect(status.code).toBe(0)
  expect(JSON.parse(status.stdout).migrations.map((m: { origin: string }) => m.origin)).toEqual([
    ...Array(4).fill('baseline'),
    'migrate',
  ])
  // The imported migrations, replayed, build what knex built: only knex's own two tables differ.
  const drift = await runKeel(['diff', '--from', 'migrations', '--to', url, '--url', url], { cwd })
  expect(drift.stderr).not.toContain('error[')
  const statements = drift.stdout.split('\n').filter((line) => /^[A-Z]/.test(line))
  expect(statements.every((line) => /knex_migrations/.test(line))).toBe(true)
}

describe('keel import --from knex', () => {
  test('PostgreSQL: converted with knex, adopted from knex_migrations, migrated once', async () => {
    await withDatabase('postgres', async (db) => {
      await knexMigrate({ client: 'pg', connection: db.url }, 4)
      const cwd = mkdtempSync(join(root, 'pg-'))
      await adopt(db.url, cwd)
      const up = readFileSync(join(cwd, 'migrations/20240104000000_roles/up.sql'), 'utf8')
      expect(up).toContain(
        `insert into "roles" ("label", "name") values ('Administrator', 'admin'), ('O''Brien''s', 'user');`,
      )
      expect(up).toMatch(
        /^-- Note: its up reads rows \(select count\(\*\) as "n" from "roles"\): converted from a run on an empty database/m,
      )
      expect(up).not.toMatch(/^select/m)
      const index = readFileSync(join(cwd, 'migrations/20240105000000_published_index/up.sql'), 'utf8')
      expect(index).toMatch(/^-- keel:no-transaction$/m)
    })
  }, 120_000)

  test('SQLite: the table rebuild runs with foreign keys off, so the cascade keeps its rows', async () => {
    const cwd = mkdtempSync(join(root, 'sqlite-'))
    const file = join(cwd, 'app.db')
    const config = { client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true }
    await knexMigrate(config, 4)
    const db = knex(config)
    await db.raw('PRAGMA foreign_keys = ON')
    await db('users').insert({ id: 1, email: 'a@example.com' })
    await db('posts').insert({ author_id: 1, body: 'kept' })
    await db.destroy()
    await adopt(`sqlite:${file}`, cwd)
    const up = readFileSync(join(cwd, 'migrations/20240103000000_user_bio/up.sql'), 'utf8')
    expect(up).toMatch(/^PRAGMA foreign_keys = OFF;\n[\s\S]*_knex_temp_alter\d+[\s\S]*PRAGMA foreign_keys = ON;\n$/m)
    // Rolling back the bio migration rebuilds users again under Keel's runner (foreign keys on): posts stay.
    const rolled = await runKeel(['rollback', '--to', '20240102000000', '--url', `sqlite:${file}`], { cwd })
    expect(rolled.stderr).not.toContain('error[')
    const after = knex(config)
    expect(await after('posts').select('body')).toEqual([{ body: 'kept' }])
    await after.destroy()
  }, 120_000)
})
