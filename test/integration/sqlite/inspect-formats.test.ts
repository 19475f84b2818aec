/**
 * `keel inspect --format prisma|drizzle` on a SQLite file prints Prisma's sqlite provider and drizzle-orm/sqlite-core
 * (not PostgreSQL's): the printed schema, read back as a source, is exactly the database it was printed from.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { loadSchemaSource } from '../../../src/source/load-source.js'
import { runKeel } from '../../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-sqlite-inspect-formats-'))
symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The brief's blog as Prisma Migrate writes it on SQLite: its scalar types, NOT NULL keys, unique indexes. */
const PRISMA_SHAPED = `CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL,
  "karma" BIGINT NOT NULL DEFAULT 0, "score" REAL, "active" BOOLEAN NOT NULL DEFAULT true, "avatar" BLOB,
  "balance" DECIMAL, "prefs" JSONB, "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE TABLE "posts" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "author_id" INTEGER NOT NULL, "title" TEXT NOT NULL DEFAULT 'untitled',
  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
CREATE INDEX "posts_author_id_idx" ON "posts"("author_id");`

/** The same blog in the declared types drizzle-orm/sqlite-core writes, with a check, a partial index and a type it has no builder for. */
const DRIZZLE_SHAPED = `CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, email text NOT NULL, score real,
  avatar blob, balance numeric, nick VARCHAR(40), CONSTRAINT users_score_check CHECK (score >= 0));
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE posts (id integer PRIMARY KEY NOT NULL, author_id integer NOT NULL, title text DEFAULT 'untitled' NOT NULL,
  CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE cascade);
CREATE INDEX posts_author_id_idx ON posts (author_id) WHERE title <> '';`

describe.each([
  ['prisma', PRISMA_SHAPED, 'provider = "sqlite"', 'schema.prisma'],
  ['drizzle', DRIZZLE_SHAPED, "from 'drizzle-orm/sqlite-core'", 'schema.ts'],
] as const)('keel inspect --format %s on SQLite', (format, ddl, marker, fileName) => {
  test('prints the SQLite flavour, which reads back as the same database', async () => {
    const file = join(dir, `${format}.db`)
    const conn = await openDatabase(`sqlite:${file}`)
    try {
      await conn.exec(ddl)
      const live = await getDialect('sqlite').introspect(conn)
      const printed = await runKeel(['inspect', '--format', format, '--url', `sqlite:${file}`], { cwd: dir })
      expect(printed.code).toBe(0)
      expect(printed.stdout).toContain(marker)
      expect(printed.stdout).not.toMatch(/postgresql|pg-core|Unsupported\("(INTEGER|TEXT)"\)/)
      expect(printed.stderr).not.toContain('not in the')
      const source = join(dir, `${format}-${fileName}`)
      writeFileSync(source, printed.stdout)
      const read = await loadSchemaSource(source, { cwd: dir, near: `sqlite:${file}` })
      expect(read.dialect).toBe('sqlite')
      expect(read.schema.tables.map((t) => t.name.name).sort()).toEqual(['posts', 'users'])
      expect(read.schema.tables.flatMap((t) => t.foreignKeys.map((fk) => fk.onDelete))).toEqual(['CASCADE'])
      expect(diff(live, read.schema).changes).toEqual([])
    } finally {
      await conn.close()
    }
  })
})
