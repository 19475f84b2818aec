/**
 * Prisma 7 projects (issue 10): the datasource URL moved out of schema.prisma into `prisma.config.ts`, which
 * also says where the schema is. With no schema named in keel.config and no schema.ts, Keel runs that config as
 * Prisma does (its `defineConfig` and `env` from the project's own `prisma/config`: here a stand-in package with
 * Prisma's behaviour, `env()` throwing for an unset variable) and takes both from it. On a real SQLite file.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'

const SCHEMA = `datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
`

/** What Prisma Migrate creates for SCHEMA on SQLite (its documented types, names and referential actions). */
const PRISMA_DDL = `CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL
);
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
`

const PRISMA_CONFIG = `import { defineConfig, env } from 'prisma/config'

export default defineConfig({
  schema: 'db/schema.prisma',
  migrations: { path: 'db/migrations' },
  datasource: { url: env('KEEL_TEST_PRISMA_URL') },
})
`

const root = mkdtempSync(join(tmpdir(), 'keel-prisma-config-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let projects = 0
function project(): string {
  const dir = join(root, `p${++projects}`)
  mkdirSync(join(dir, 'db'), { recursive: true })
  writeFileSync(join(dir, 'db', 'schema.prisma'), SCHEMA)
  writeFileSync(join(dir, 'prisma.config.ts'), PRISMA_CONFIG)
  // prisma/config as Prisma 7 ships it, reduced to what a config calls.
  const pkg = join(dir, 'node_modules', 'prisma')
  mkdirSync(pkg, { recursive: true })
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'prisma', version: '7.0.0', exports: { './config': './config.js' } }),
  )
  writeFileSync(
    join(pkg, 'config.js'),
    `exports.defineConfig = (config) => config
exports.env = (name) => {
  const value = process.env[name]
  if (value === undefined) throw new Error('PrismaConfigEnvError: Cannot resolve environment variable: ' + name + '.')
  return value
}
`,
  )
  const db = new Database(join(dir, 'db', 'dev.db'))
  db.exec(PRISMA_DDL)
  db.close()
  return dir
}

describe.concurrent('prisma.config.ts', () => {
  it('gives the schema path and the datasource URL (file: relative to the config)', async () => {
    const dir = project()
    const result = await runKeel(['diff', '--exit-code'], {
      cwd: dir,
      env: { KEEL_TEST_PRISMA_URL: 'file:./db/dev.db' },
    })
    expect(result.stderr).toContain(`reading ${join(dir, 'db', 'schema.prisma')}`)
    expect(result.stderr).toContain(`reading sqlite:${join(dir, 'db', 'dev.db')}`)
    expect(result.stdout).toBe('')
    expect(result.code, result.stderr).toBe(0)
  })

  it('an unset variable in env() is error[CONFIG] naming it, never the embedded database', async () => {
    const dir = project()
    const result = await runKeel(['migrate'], { cwd: dir })
    expect(result.stderr).toMatch(
      /^error\[CONFIG\]: prisma\.config\.ts: the datasource reads env\("KEEL_TEST_PRISMA_URL"\)/m,
    )
    expect(result.code).toBe(2)
    expect(existsSync(join(dir, '.keel'))).toBe(false)
  })
})
