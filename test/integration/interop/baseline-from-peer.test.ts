/**
 * `keel baseline --from-peer`: a database another tool migrated is adopted from that tool's own journal
 * table; Keel marks exactly what the tool applied and runs only the rest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-peer-baseline-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let count = 0

function project(files: Record<string, string>): string {
  const dir = join(root, `p${count++}`)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const PRISMA = {
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "users" ("id" SERIAL PRIMARY KEY);\n',
  'prisma/migrations/20240201000000_posts/migration.sql': 'CREATE TABLE "posts" ("id" SERIAL PRIMARY KEY);\n',
  'prisma/migrations/20240301000000_tags/migration.sql': 'CREATE TABLE "tags" ("id" SERIAL PRIMARY KEY);\n',
}

describe('keel baseline --from-peer', () => {
  test('prisma: marks what _prisma_migrations says was applied, then migrate runs the rest', async () => {
    await withDatabase('postgres', async (db) => {
      // What `prisma migrate deploy` leaves after the first two migrations.
      await db.conn.exec(`
        CREATE TABLE "users" ("id" SERIAL PRIMARY KEY);
        CREATE TABLE "posts" ("id" SERIAL PRIMARY KEY);
        CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
          migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),
          applied_steps_count integer NOT NULL DEFAULT 0);
        INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES
          ('a', 'x', now(), '20240101000000_init', 1), ('b', 'y', now(), '20240201000000_posts', 1),
          ('c', 'z', NULL, '20240201000000_posts_failed_once', 0);
        UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = 'c';`)
      const cwd = project(PRISMA)
      expect((await runKeel(['import', 'prisma/migrations', '--from', 'prisma'], { cwd })).code).toBe(0)
      const marked = await runKeel(['baseline', '--from-peer', '--url', db.url, '--json'], { cwd })
      expect(marked.stderr).not.toContain('error[')
      expect(JSON.parse(marked.stdout).marked).toEqual(['20240101000000_init', '20240201000000_posts'])
      const migrated = await runKeel(['migrate', '--url', db.url, '--json'], { cwd })
      expect(migrated.code).toBe(0)
      const tables = await db.conn.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'posts', 'tags') ORDER BY 1",
      )
      expect(tables.map((t) => t.name)).toEqual(['posts', 'tags', 'users'])
    })
  }, 120_000)

  test('golang-migrate: versions up to schema_migrations.version; a dirty one stops', async () => {
    await withDatabase('postgres', async (db) => {
      await db.conn.exec(`CREATE TABLE a (x int);
        CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
        INSERT INTO schema_migrations VALUES (1, false);`)
      const cwd = project({
        'db/1_a.up.sql': 'CREATE TABLE a (x int);',
        'db/1_a.down.sql': 'DROP TABLE a;',
        'db/2_b.up.sql': 'CREATE TABLE b (x int);',
        'db/2_b.down.sql': 'DROP TABLE b;',
      })
      expect((await runKeel(['import', 'db', '--from', 'golang-migrate'], { cwd })).code).toBe(0)
      await db.conn.exec('UPDATE schema_migrations SET dirty = true')
      const dirty = await runKeel(['baseline', '--from-peer', '--url', db.url], { cwd })
      expect(dirty.code).toBe(1)
      expect(dirty.stderr).toContain('error[PARTIAL_MIGRATION]: golang-migrate marked version 1 dirty')
      await db.conn.exec('UPDATE schema_migrations SET dirty = false')
      const marked = await runKeel(['baseline', '--from-peer', '--url', db.url, '--json'], { cwd })
      expect(JSON.parse(marked.stdout).marked).toEqual(['19700101000001_a'])
    })
  }, 120_000)

  test("a database without the tool's journal table is refused", async () => {
    await withDatabase('postgres', async (db) => {
      const cwd = project({ 'db/1_a.sql': '-- migrate:up\nCREATE TABLE a (x int);\n' })
      expect((await runKeel(['import', 'db', '--from', 'dbmate'], { cwd })).code).toBe(0)
      const result = await runKeel(['baseline', '--from-peer', '--url', db.url], { cwd })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('has no schema_migrations table')
    })
  }, 120_000)
})
