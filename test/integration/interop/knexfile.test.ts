/**
 * `keel import --from knex` reads the project's knexfile as knex's CLI does (found from the folder upwards, in its
 * environment): `migrations.directory` (two folders, sorted by file name across them), `loadExtensions`,
 * `disableTransactions` and a custom `tableName`, which each up.sql names so that `baseline --from-peer` reads that
 * table. SQLite's table rebuilds (`_knex_temp_alter` + random digits) convert to the same SQL on every run.
 * In-process on SQLite files (no CLI): a few seconds.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { knex } from 'knex'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { importMigrations } from '../../../src/interop/import/import-migrations.js'
import { peerApplied } from '../../../src/interop/import/peer-journal.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'

const root = mkdtempSync(join(tmpdir(), 'keel-knexfile-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
// knex picks the knexfile's environment by NODE_ENV, which Vitest sets to 'test'.
beforeAll(() => {
  vi.stubEnv('NODE_ENV', 'development')
})
afterAll(() => {
  vi.unstubAllEnvs()
})

const KNEXFILE = `module.exports = {
  development: {
    client: 'better-sqlite3',
    connection: { filename: process.env.KNEX_DB },
    useNullAsDefault: true,
    migrations: {
      directory: ['./db/base', './db/more'],
      tableName: 'app_migrations',
      loadExtensions: ['.js'],
      disableTransactions: true,
    },
  },
  production: { client: 'pg', migrations: { tableName: 'wrong' } },
}
`

const FILES: Record<string, string> = {
  'knexfile.js': KNEXFILE,
  'db/base/001_users.js': `exports.up = (knex) => knex.schema.createTable('users', (t) => { t.increments('id'); t.string('name') })
exports.down = (knex) => knex.schema.dropTable('users')`,
  // In the other folder, but sorted by file name across both: second.
  'db/more/002_bio.js': `exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.dropColumn('name'); t.text('bio') })
exports.down = (knex) => knex.schema.alterTable('users', (t) => { t.dropColumn('bio'); t.string('name') })
exports.config = { transaction: true }`,
  'db/base/003_bio_again.js': `exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.string('bio', 80).alter() })
exports.down = (knex) => knex.schema.alterTable('users', (t) => { t.text('bio').alter() })`,
  // Not in loadExtensions: knex would not run it, nor does the import.
  'db/base/004_skipped.ts': `export const up = () => { throw new Error('not loaded') }`,
}

function project(): string {
  const dir = mkdtempSync(join(root, 'p-'))
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))
  return dir
}

const upSql = (out: string) =>
  readdirSync(out)
    .filter((name) => !name.includes('.'))
    .sort()
    .map((id) => readFileSync(join(out, id, 'up.sql'), 'utf8'))

test('the knexfile gives the folders, extensions, transactions and journal table; the conversion is stable', async () => {
  const dir = project()
  const near = `sqlite:${join(dir, 'keel.db')}`
  const first = await importMigrations({ dir, tool: 'knex', out: join(dir, 'keel-1'), near })
  expect(first.migrations.map((m) => m.from)).toEqual([
    ['db/base/001_users.js'],
    ['db/more/002_bio.js'],
    ['db/base/003_bio_again.js'],
  ])
  expect(first.migrations.map((m) => m.noTransaction)).toEqual([true, false, true])
  const ups = upSql(join(dir, 'keel-1'))
  expect(ups[0]).toMatch(/^-- keel:imported-from knex 001_users\.js app_migrations$/m)
  expect(ups[1]).toContain('_knex_temp_alter0')
  // Run again (new random names inside knex): the same SQL.
  await importMigrations({ dir, tool: 'knex', out: join(dir, 'keel-2'), near })
  expect(upSql(join(dir, 'keel-2'))).toEqual(ups)

  // A database knex's own migrator built with this knexfile, up to 002: baseline reads app_migrations.
  const file = join(dir, 'app.db')
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    migrations: {
      directory: [join(dir, 'db/base'), join(dir, 'db/more')],
      tableName: 'app_migrations',
      loadExtensions: ['.js'],
    },
  })
  await db.migrate.up()
  await db.migrate.up()
  await db.destroy()
  const conn = await openDatabase(`sqlite:${file}`)
  try {
    const marked = await peerApplied(conn, readMigrationsDirectory(join(dir, 'keel-1')).migrations)
    expect(marked.map((m) => m.name)).toEqual(['users', 'bio'])
  } finally {
    await conn.close()
  }
}, 60_000)

test("a knexfile whose client writes another database's SQL is refused", async () => {
  const dir = project()
  await expect(
    importMigrations({ dir, tool: 'knex', out: join(dir, 'keel'), near: 'postgres://postgres@127.0.0.1:5432/test' }),
  ).rejects.toThrow(/client "better-sqlite3" writes SQL for another database than the project's \(postgres\)/)
}, 60_000)
