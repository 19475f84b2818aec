/**
 * `keel import --from knex` on MySQL/MariaDB with a knexfile whose `migrations.schemaName` puts knex's journal in
 * another database (knex's `withSchema` on MySQL names a database): the migrations convert to MySQL SQL, and
 * `baseline --from-peer` reads `<schemaName>.<tableName>`, where knex's own migrator recorded them, rather than a
 * table of that name in the project's database. In-process, on two fresh databases of the test server.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { knex } from 'knex'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { importMigrations } from '../../../src/interop/import/import-migrations.js'
import { peerApplied } from '../../../src/interop/import/peer-journal.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { MYSQL_URL } from '../../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-knex-mysql-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
// knex picks the knexfile's environment by NODE_ENV, which Vitest sets to 'test'.
beforeAll(() => {
  vi.stubEnv('NODE_ENV', 'development')
})
afterAll(() => {
  vi.unstubAllEnvs()
})

const FILES: Record<string, string> = {
  'migrations/20240101000000_users.js': `exports.up = (knex) => knex.schema.createTable('users', (t) => {
  t.increments('id'); t.string('email', 120).notNullable().unique(); t.timestamps(true, true) })
exports.down = (knex) => knex.schema.dropTable('users')`,
  'migrations/20240102000000_posts.js': `exports.up = (knex) => knex.schema.createTable('posts', (t) => {
  t.increments('id'); t.integer('author_id').unsigned().references('users.id').onDelete('CASCADE'); t.text('body') })
exports.down = (knex) => knex.schema.dropTable('posts')`,
  'migrations/20240103000000_post_title.js': `exports.up = (knex) => knex.schema.alterTable('posts', (t) => { t.string('title') })
exports.down = (knex) => knex.schema.alterTable('posts', (t) => { t.dropColumn('title') })`,
}

test('schemaName: converted to MySQL SQL, and baseline reads the journal knex kept in that database', async () => {
  const app = await createScratchDatabase(MYSQL_URL, 'keel_test')
  const journal = await createScratchDatabase(MYSQL_URL, 'keel_test')
  const journalDb = new URL(journal.url).pathname.slice(1)
  try {
    const dir = mkdtempSync(join(root, 'p-'))
    const migrations = { schemaName: journalDb, tableName: 'app_migrations' }
    writeFileSync(
      join(dir, 'knexfile.js'),
      `module.exports = { development: { client: 'mysql2', connection: ${JSON.stringify(app.url)}, migrations: ${JSON.stringify(migrations)} } }\n`,
    )
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))

    const out = join(dir, 'keel')
    const imported = await importMigrations({ dir: join(dir, 'migrations'), tool: 'knex', out, near: app.url })
    expect(imported.migrations).toHaveLength(3)
    const ups = readdirSync(out)
      .filter((name) => !name.includes('.'))
      .sort()
      .map((id) => readFileSync(join(out, id, 'up.sql'), 'utf8'))
    expect(ups[0]).toMatch(
      new RegExp(`^-- keel:imported-from knex 20240101000000_users\\.js ${journalDb}\\.app_migrations$`, 'm'),
    )
    expect(ups[0]).toContain('create table `users` (`id` int unsigned not null auto_increment primary key')
    expect(ups[1]).toContain('foreign key (`author_id`) references `users` (`id`) on delete CASCADE')

    // knex's own migrator, with the same knexfile settings, up to the second migration: its journal is in journalDb.
    const db = knex({
      client: 'mysql2',
      connection: app.url,
      migrations: { ...migrations, directory: join(dir, 'migrations') },
    })
    await db.migrate.up()
    await db.migrate.up()
    await db.destroy()
    const here = await app.conn.query(
      `select 1 from information_schema.tables where table_schema = database() and table_name = 'app_migrations'`,
    )
    expect(here).toEqual([])

    const marked = await peerApplied(app.conn, readMigrationsDirectory(out).migrations)
    expect(marked.map((m) => m.name)).toEqual(['users', 'posts'])
  } finally {
    await app.dispose()
    await journal.dispose()
  }
}, 120_000)
