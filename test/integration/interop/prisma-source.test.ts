import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { loadSchemaSource } from '../../../src/source/load-source.js'
import { POSTGRES_URL, withDatabase } from '../../support/databases.js'
import { prismaMigrateDiff } from '../../support/prisma-migrate.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/interop/prisma')

/**
 * The brief's Prisma schema, created by Prisma Migrate (`prisma migrate diff --from-empty
 * --to-schema-datamodel`), written out from Prisma's documented behaviour: serial ids, text for String,
 * timestamp(3) for DateTime with CURRENT_TIMESTAMP for now(), no default for @updatedAt, unique *indexes*
 * named <table>_<cols>_key, indexes <table>_<cols>_idx, foreign keys <table>_<cols>_fkey with ON DELETE
 * RESTRICT ON UPDATE CASCADE for a required relation, and the implicit many-to-many table _PostToTag.
 */
const BRIEF_DDL = `-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "posts" (
    "id" SERIAL NOT NULL,
    "title" VARCHAR(255) NOT NULL,
    "body" TEXT,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "author_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tags" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "tags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_PostToTag" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_email_idx" ON "users"("email");

-- CreateIndex
CREATE INDEX "posts_author_id_idx" ON "posts"("author_id");

-- CreateIndex
CREATE INDEX "posts_published_created_at_idx" ON "posts"("published", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "tags_name_key" ON "tags"("name");

-- CreateIndex
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");

-- AddForeignKey
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE;
`

/** Creates `ddl` on a fresh database and returns what Keel finds between it and the Prisma source `src`. */
async function differences(ddl: string, src: string) {
  return withDatabase('postgres', async (db) => {
    await db.conn.exec(ddl)
    const live = await getDialect('postgres').introspect(db.conn)
    const declared = await loadSchemaSource(src, { cwd: FIXTURES, near: POSTGRES_URL })
    return { changes: diff(live, declared.schema).changes, declared: declared.schema }
  })
}

function filesOf(name: string): { path: string; content: string }[] {
  const path = join(FIXTURES, name)
  const names = statSync(path).isDirectory() ? readdirSync(path).map((file) => join(name, file)) : [name]
  return names.map((file) => ({ path: file, content: readFileSync(join(FIXTURES, file), 'utf8') }))
}

describe('Prisma schemas as sources (PostgreSQL)', () => {
  // The file's first test pays its one-time loads (the Prisma reader and the materialiser, imported by loadSchemaSource
  // on first use) beside two databases: 0.7 s alone at load 2, but cut at the 60 s default in a full run under heavy
  // load, where the file's other tests ran 20-45x slower than alone. The bound is for a hang.
  test("the brief's schema gives exactly the tables, keys, indexes and foreign keys Prisma Migrate creates", async () => {
    const { changes, declared } = await differences(BRIEF_DDL, 'brief.prisma')
    expect(changes).toEqual([])
    const posts = declared.tables.find((t) => t.name.name === 'posts')
    expect(posts?.foreignKeys.map((fk) => [fk.name, fk.onDelete, fk.onUpdate])).toEqual([
      ['posts_author_id_fkey', 'RESTRICT', 'CASCADE'],
    ])
    expect(declared.tables.map((t) => t.name.name).sort()).toEqual(['_PostToTag', 'posts', 'tags', 'users'])
  }, 120_000)

  test('the expected DDL above is what Prisma Migrate itself prints for the brief', async () => {
    const printed = await withDatabase('postgres', (db) => prismaMigrateDiff(filesOf('brief.prisma'), db.url))
    expect(printed.trim()).toBe(BRIEF_DDL.trim())
  })

  test.each(['types.prisma', 'relations.prisma', 'multi-schema.prisma', 'relation-mode.prisma', 'multi-file'])(
    '%s reads as the schema Prisma Migrate creates',
    async (name) => {
      const ddl = await withDatabase('postgres', (db) => prismaMigrateDiff(filesOf(name), db.url))
      expect(ddl).toContain('CREATE TABLE')
      const { changes } = await differences(ddl, name)
      expect(changes).toEqual([])
    },
  )
})
