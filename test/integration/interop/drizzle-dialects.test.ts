/**
 * Drizzle `sqliteTable` and `mysqlTable` modules as sources (issue 10): what drizzle-kit itself generates for
 * each fixture (its programmatic API, a devDependency: the oracle) is applied to a real SQLite file and to a
 * MariaDB database, and Keel's reading of the same module compares equal with what those databases then hold.
 * Then through the CLI as a user runs it: `keel push` from the schema.ts creates it, `keel diff` finds nothing,
 * and the catalog shows drizzle-kit's names (`users_email_unique`, `posts_author_id_users_id_fk`...).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { loadSchemaSource } from '../../../src/source/load-source.js'
import { runKeel } from '../../support/cli.js'
import { withMysqlDatabase } from '../../support/databases.js'
import { drizzleKitGenerate } from '../../support/drizzle-kit.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/interop/drizzle')
const SQLITE_SCHEMA = join(FIXTURES, 'sqlite/schema.ts')
const MYSQL_SCHEMA = join(FIXTURES, 'mysql/schema.ts')

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-drizzle-dialect-'))
  dirs.push(dir)
  return dir
}

function statements(ddl: string): string[] {
  return ddl
    .split(/--> statement-breakpoint|;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s !== '')
}

function project(url: string, schema: string): string {
  const dir = tempDir()
  writeFileSync(
    join(dir, 'keel.config.ts'),
    `export default { url: ${JSON.stringify(url)}, schema: ${JSON.stringify(schema)}, migrations: 'migrations' }\n`,
  )
  return dir
}

describe('Drizzle sqliteTable modules', () => {
  it('read as what drizzle-kit creates on a SQLite file', async () => {
    const ddl = await drizzleKitGenerate(SQLITE_SCHEMA, undefined, 'sqlite')
    expect(ddl).toContain('CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`)')
    expect(ddl).toContain('`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL')
    expect(ddl).toContain('CREATE VIEW `admins` AS select "id", "email" from "users" where "users"."role" = \'admin\'')
    const file = join(tempDir(), 'kit.db')
    const db = new Database(file)
    for (const statement of statements(ddl)) db.exec(statement)
    db.close()
    const conn = await openDatabase(`sqlite:${file}`)
    try {
      const live = await getDialect('sqlite').introspect(conn)
      const declared = await loadSchemaSource(SQLITE_SCHEMA, { cwd: FIXTURES })
      expect(declared.dialect).toBe('sqlite')
      expect(diff(live, declared.schema).changes).toEqual([])
    } finally {
      await conn.close()
    }
  }, 60_000)

  it('keel push creates it on a SQLite file, and keel diff then finds nothing', async () => {
    const dir = tempDir()
    const file = join(dir, 'app.db')
    writeFileSync(
      join(dir, 'keel.config.ts'),
      `export default { url: ${JSON.stringify(`sqlite:${file}`)}, schema: ${JSON.stringify(SQLITE_SCHEMA)}, migrations: 'migrations' }\n`,
    )
    const push = await runKeel(['push'], { cwd: dir })
    expect(push.stderr).not.toMatch(/error\[/)
    expect(push.code).toBe(0)
    const again = await runKeel(['diff', '--exit-code'], { cwd: dir })
    expect(again.stderr).toContain('no differences')
    expect(again.code).toBe(0)
    const db = new Database(file, { readonly: true })
    const indexes = db
      .prepare("select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by name")
      .all()
    const fks = db.prepare("select * from pragma_foreign_key_list('post_tags') order by id").all() as {
      table: string
      on_delete: string
      on_update: string
    }[]
    const users = db.prepare("select sql from sqlite_master where name = 'users'").get() as { sql: string }
    db.close()
    expect(indexes.map((i) => (i as { name: string }).name)).toEqual([
      'idx_posts_author',
      'tags_name_unique',
      'uq_posts_title',
      'users_email_unique',
    ])
    expect(fks.map((f) => [f.table, f.on_delete, f.on_update])).toEqual([
      ['tags', 'CASCADE', 'CASCADE'],
      ['posts', 'NO ACTION', 'NO ACTION'],
    ])
    expect(users.sql).toMatch(/AUTOINCREMENT/)
  }, 60_000)
})

describe('Drizzle mysqlTable modules', () => {
  it('read as what drizzle-kit creates on MariaDB', async () => {
    const ddl = await drizzleKitGenerate(MYSQL_SCHEMA, undefined, 'mysql')
    expect(ddl).toContain('CONSTRAINT `users_email_unique` UNIQUE(`email`)')
    expect(ddl).toMatch(/SQL SECURITY invoker\nVIEW `admins` AS \(select/)
    // drizzle-kit writes `serial AUTO_INCREMENT`, which MySQL accepts and MariaDB refuses (SERIAL already says
    // AUTO_INCREMENT); the one edit to its output, so that MariaDB can run it. Keel writes what SERIAL means.
    expect(ddl).toContain('`id` serial AUTO_INCREMENT NOT NULL')
    await withMysqlDatabase(async ({ url, conn }) => {
      for (const statement of statements(ddl.replaceAll('serial AUTO_INCREMENT', 'serial'))) await conn.exec(statement)
      const live = await getDialect('mysql').introspect(conn)
      const declared = await loadSchemaSource(MYSQL_SCHEMA, { cwd: FIXTURES, near: url })
      expect(declared.dialect).toBe('mysql')
      expect(diff(live, declared.schema).changes).toEqual([])
    })
  }, 120_000)

  it('keel push creates it on MariaDB with drizzle-kit names, and keel diff then finds nothing', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const dir = project(url, MYSQL_SCHEMA)
      const push = await runKeel(['push'], { cwd: dir })
      expect(push.stderr).not.toMatch(/error\[/)
      expect(push.code).toBe(0)
      const again = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(again.stderr).toContain('no differences')
      expect(again.code).toBe(0)
      const constraints = await conn.query<{ tbl: string; name: string; type: string }>(
        `select table_name as tbl, constraint_name as name, constraint_type as type from information_schema.table_constraints
          where table_schema = database() and constraint_type <> 'CHECK'`,
      )
      const listed = constraints.map((c) => `${c.tbl} ${c.type} ${c.name}`).sort()
      expect(listed.map((c) => c.slice(c.indexOf(' ') + 1))).toEqual([
        'FOREIGN KEY post_tags_post_id_posts_id_fk',
        'FOREIGN KEY post_tags_tag_id_tags_id_fk',
        'PRIMARY KEY PRIMARY',
        'FOREIGN KEY posts_author_id_users_id_fk',
        'PRIMARY KEY PRIMARY',
        'UNIQUE uq_posts_title',
        'PRIMARY KEY PRIMARY',
        'UNIQUE tags_name_unique',
        'PRIMARY KEY PRIMARY',
        'UNIQUE id',
        'UNIQUE users_email_unique',
      ])
      const columns = await conn.query<{ name: string; type: string; extra: string }>(
        `select column_name as name, column_type as type, extra from information_schema.columns
          where table_schema = database() and table_name = 'users' order by ordinal_position`,
      )
      expect(columns.find((c) => c.name === 'id')?.type).toMatch(/^bigint(\(20\))? unsigned$/)
      expect(columns.find((c) => c.name === 'id')?.extra).toMatch(/auto_increment/i)
      expect(columns.find((c) => c.name === 'updated_at')?.extra.toLowerCase()).toContain('on update current_timestamp')
    })
  }, 120_000)

  it('a string default with backslashes is stored as declared, and keel diff then finds nothing', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const dir = project(url, join(FIXTURES, 'mysql/backslash-default.ts'))
      const push = await runKeel(['push'], { cwd: dir })
      expect(push.stderr).not.toMatch(/error\[/)
      expect(push.code).toBe(0)
      await conn.exec('insert into places (id) values (1)')
      const rows = await conn.query<{ dir: string }>('select dir from places')
      expect(rows.map((r) => r.dir)).toEqual(['C:\\temp\\new'])
      const again = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(again.code).toBe(0)
    })
  }, 60_000)

  it('without a MySQL server near, a mysqlTable module is a clear error', async () => {
    await expect(loadSchemaSource(MYSQL_SCHEMA, { cwd: FIXTURES })).rejects.toThrow(/MySQL or MariaDB server/)
  })

  it("a view option Keel cannot keep (MySQL's ALGORITHM) is refused, not dropped", async () => {
    await expect(loadSchemaSource(join(FIXTURES, 'mysql/view-algorithm.ts'), { cwd: FIXTURES })).rejects.toThrow(
      /view merged has \.algorithm\('temptable'\), which Keel cannot keep yet/,
    )
  })
})
