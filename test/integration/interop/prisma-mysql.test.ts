/**
 * Prisma schemas with `provider = "mysql"` (issue 10), tested on MariaDB: read with Prisma Migrate's MySQL
 * semantics and compared with what Prisma Migrate creates there, written out below from its documented behaviour
 * (the DDL `prisma migrate diff --from-empty --to-schema` prints for MySQL): String VARCHAR(191), Int INTEGER with
 * AUTO_INCREMENT, Float DOUBLE, Decimal DECIMAL(65,30), DateTime DATETIME(3) with CURRENT_TIMESTAMP(3) for now(),
 * @updatedAt without a default, Json JSON, Bytes LONGBLOB, an enum as an inline ENUM, @db.* natives, default
 * names <table>_<cols>_key/_idx/_fkey, the primary key PRIMARY, every table utf8mb4_unicode_ci, and the implicit
 * many-to-many table with its unique index, a prefix index (`body(length: 10)`) and `@@fulltext`. The datasource's URL is the project's database.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withMysqlDatabase } from '../../support/databases.js'

const schema = (url: string) => `datasource db {
  provider = "mysql"
  url      = "${url}"
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
  id          String    @id @default(cuid())
  title       String
  body        String?   @db.Text
  views       Int       @default(0) @db.UnsignedInt
  publishedAt DateTime? @db.Timestamp(0)
  authorId    Int
  author      User      @relation(fields: [authorId], references: [id])
  tags        Tag[]

  @@index([title])
  @@index([body(length: 10)])
  @@fulltext([title, body])
  @@map("posts")
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique @db.VarChar(64)
  posts Post[]
}
`

const PRISMA_DDL = [
  `CREATE TABLE \`User\` (
    \`id\` INTEGER NOT NULL AUTO_INCREMENT,
    \`email\` VARCHAR(191) NOT NULL,
    \`name\` VARCHAR(191) NULL,
    \`role\` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
    \`active\` BOOLEAN NOT NULL DEFAULT true,
    \`score\` DOUBLE NOT NULL DEFAULT 0,
    \`balance\` DECIMAL(65, 30) NULL,
    \`big\` BIGINT NULL,
    \`meta\` JSON NULL,
    \`avatar\` LONGBLOB NULL,
    \`createdAt\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    \`updatedAt\` DATETIME(3) NOT NULL,

    UNIQUE INDEX \`User_email_key\`(\`email\`),
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  `CREATE TABLE \`posts\` (
    \`id\` VARCHAR(191) NOT NULL,
    \`title\` VARCHAR(191) NOT NULL,
    \`body\` TEXT NULL,
    \`views\` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    \`publishedAt\` TIMESTAMP(0) NULL,
    \`authorId\` INTEGER NOT NULL,

    INDEX \`posts_title_idx\`(\`title\`),
    INDEX \`posts_body_idx\`(\`body\`(10)),
    FULLTEXT INDEX \`posts_title_body_idx\`(\`title\`, \`body\`),
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  `CREATE TABLE \`Tag\` (
    \`id\` INTEGER NOT NULL AUTO_INCREMENT,
    \`name\` VARCHAR(64) NOT NULL,

    UNIQUE INDEX \`Tag_name_key\`(\`name\`),
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  `CREATE TABLE \`_PostToTag\` (
    \`A\` VARCHAR(191) NOT NULL,
    \`B\` INTEGER NOT NULL,

    UNIQUE INDEX \`_PostToTag_AB_unique\`(\`A\`, \`B\`),
    INDEX \`_PostToTag_B_index\`(\`B\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  'ALTER TABLE `posts` ADD CONSTRAINT `posts_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE',
  'ALTER TABLE `_PostToTag` ADD CONSTRAINT `_PostToTag_A_fkey` FOREIGN KEY (`A`) REFERENCES `posts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE',
  'ALTER TABLE `_PostToTag` ADD CONSTRAINT `_PostToTag_B_fkey` FOREIGN KEY (`B`) REFERENCES `Tag`(`id`) ON DELETE CASCADE ON UPDATE CASCADE',
]

const root = mkdtempSync(join(tmpdir(), 'keel-prisma-mysql-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let projects = 0
function project(url: string): string {
  const dir = join(root, `p${++projects}`)
  mkdirSync(join(dir, 'prisma'), { recursive: true })
  writeFileSync(join(dir, 'prisma', 'schema.prisma'), schema(url))
  writeFileSync(join(dir, 'keel.config.ts'), "export default { schema: 'prisma/schema.prisma' }\n")
  return dir
}

describe('a Prisma schema on MySQL (MariaDB)', () => {
  it('equals what Prisma Migrate creates, on the database its datasource names', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      for (const statement of PRISMA_DDL) await conn.exec(statement)
      const dir = project(url)
      const result = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(result.stdout).toBe('')
      expect(result.code, result.stderr).toBe(0)
    })
  }, 120_000)

  it('is pushed to an empty database with Prisma names and types, and diff then finds nothing', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const dir = project(url)
      const pushed = await runKeel(['push'], { cwd: dir })
      expect(pushed.stderr).not.toContain('error[')
      expect(pushed.code).toBe(0)
      const again = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(again.code, again.stderr + again.stdout).toBe(0)
      const columns = await conn.query<{ tbl: string; name: string; type: string; dflt: string | null }>(
        `select table_name as tbl, column_name as name, column_type as type, column_default as dflt
           from information_schema.columns where table_schema = database()`,
      )
      const typeOf = (tbl: string, name: string) => columns.find((c) => c.tbl === tbl && c.name === name)?.type
      expect(typeOf('User', 'email')).toBe('varchar(191)')
      expect(typeOf('User', 'id')).toMatch(/^int(\(11\))?$/)
      expect(typeOf('User', 'createdAt')).toBe('datetime(3)')
      expect(typeOf('User', 'balance')).toBe('decimal(65,30)')
      expect(typeOf('User', 'avatar')).toBe('longblob')
      expect(typeOf('User', 'role')).toBe("enum('USER','ADMIN')")
      expect(typeOf('posts', 'views')).toMatch(/^int(\(10\))? unsigned$/)
      expect(typeOf('posts', 'publishedAt')).toBe('timestamp')
      expect(typeOf('Tag', 'name')).toBe('varchar(64)')
      const indexes = await conn.query<{ tbl: string; name: string }>(
        `select distinct table_name as tbl, index_name as name from information_schema.statistics
          where table_schema = database()`,
      )
      expect(indexes.map((i) => `${i.tbl}.${i.name}`).sort()).toEqual([
        'Tag.PRIMARY',
        'Tag.Tag_name_key',
        'User.PRIMARY',
        'User.User_email_key',
        '_PostToTag._PostToTag_AB_unique',
        '_PostToTag._PostToTag_B_index',
        'posts.PRIMARY',
        'posts.posts_authorId_fkey',
        'posts.posts_body_idx',
        'posts.posts_title_body_idx',
        'posts.posts_title_idx',
      ])
      const fks = await conn.query<{ name: string; del: string; upd: string }>(
        `select constraint_name as name, delete_rule as del, update_rule as upd
           from information_schema.referential_constraints where constraint_schema = database()`,
      )
      expect(fks.map((f) => `${f.name} ${f.del} ${f.upd}`).sort()).toEqual([
        '_PostToTag_A_fkey CASCADE CASCADE',
        '_PostToTag_B_fkey CASCADE CASCADE',
        'posts_authorId_fkey RESTRICT CASCADE',
      ])
      const collations = await conn.query<{ coll: string }>(
        "select distinct table_collation as coll from information_schema.tables where table_schema = database() and table_name <> 'keel_migrations'",
      )
      expect(collations).toEqual([{ coll: 'utf8mb4_unicode_ci' }])
    })
  }, 120_000)
})
