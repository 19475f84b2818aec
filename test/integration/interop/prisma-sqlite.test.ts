/**
 * Prisma schemas with `provider = "sqlite"` (issue 10): read with Prisma Migrate's SQLite semantics and
 * compared on a real SQLite file with what Prisma Migrate creates there, written out from its documented
 * behaviour: String TEXT, Boolean BOOLEAN, Float REAL, Decimal DECIMAL, BigInt BIGINT, DateTime DATETIME
 * (now() CURRENT_TIMESTAMP, @updatedAt no default), Json JSONB, Bytes BLOB, an enum as TEXT with its default
 * quoted, autoincrement as INTEGER PRIMARY KEY AUTOINCREMENT, default names (<table>_<cols>_key, _idx, _fkey)
 * and the implicit many-to-many table with its unique index. The datasource's `file:./dev.db` is the project's
 * database, relative to the schema file, as Prisma reads it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'

const SCHEMA = `datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}

enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  role      Role     @default(USER)
  active    Boolean  @default(true)
  score     Float    @default(0)
  balance   Decimal?
  big       BigInt?
  meta      Json?
  avatar    Bytes?
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
  posts     Post[]
}

model Post {
  id       String @id @default(cuid())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
  tags     Tag[]

  @@index([title])
  @@map("posts")
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}
`

const PRISMA_DDL = `CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" TEXT NOT NULL DEFAULT 'USER',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "score" REAL NOT NULL DEFAULT 0,
    "balance" DECIMAL,
    "big" BIGINT,
    "meta" JSONB,
    "avatar" BLOB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
CREATE TABLE "posts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "posts_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE TABLE "Tag" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);
CREATE TABLE "_PostToTag" (
    "A" TEXT NOT NULL,
    "B" INTEGER NOT NULL,
    CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "posts_title_idx" ON "posts"("title");
CREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");
-- Prisma keeps the unique index (not a primary key, as on PostgreSQL since Prisma 6)
CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");
`

const root = mkdtempSync(join(tmpdir(), 'keel-prisma-sqlite-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let projects = 0
function project(schema: string): string {
  const dir = join(root, `p${++projects}`)
  mkdirSync(join(dir, 'prisma'), { recursive: true })
  writeFileSync(join(dir, 'prisma', 'schema.prisma'), schema)
  writeFileSync(join(dir, 'keel.config.ts'), "export default { schema: 'prisma/schema.prisma' }\n")
  return dir
}

describe.concurrent('a Prisma schema on SQLite', () => {
  it('equals what Prisma Migrate creates, on the database its datasource names', async () => {
    const dir = project(SCHEMA)
    const db = new Database(join(dir, 'prisma', 'dev.db'))
    db.exec(PRISMA_DDL)
    db.close()
    const result = await runKeel(['diff', '--exit-code'], { cwd: dir })
    expect(result.stderr).toContain(`reading sqlite:${join(dir, 'prisma', 'dev.db')}`)
    expect(result.stdout).toBe('')
    expect(result.code, result.stderr).toBe(0)
  })

  it('is pushed to an empty SQLite file, which then equals the schema Prisma creates', async () => {
    const dir = project(SCHEMA)
    const pushed = await runKeel(['push', '--url', 'sqlite:pushed.db'], { cwd: dir })
    expect(pushed.stderr).not.toContain('error[')
    expect(pushed.code).toBe(0)
    const db = new Database(join(dir, 'prisma', 'expected.db'))
    db.exec(PRISMA_DDL)
    db.close()
    const same = await runKeel(
      ['diff', '--from', 'sqlite:pushed.db', '--to', 'sqlite:prisma/expected.db', '--exit-code'],
      {
        cwd: dir,
      },
    )
    expect(same.stdout).toBe('')
    expect(same.code, same.stderr).toBe(0)
  })

  it('refuses what SQLite cannot hold (a scalar list), naming the field, exit 2', async () => {
    const dir = project(SCHEMA.replace('model Tag {', 'model Tag {\n  aliases String[]'))
    const result = await runKeel(['diff', '--to', 'prisma/schema.prisma', '--from', 'sqlite::memory:'], { cwd: dir })
    expect(result.stderr).toMatch(/^error\[PRISMA_SCHEMA\]: .*field aliases: SQLite has no scalar lists/m)
    expect(result.code).toBe(2)
  })
})
