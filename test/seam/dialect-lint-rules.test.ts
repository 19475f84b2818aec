/**
 * A dialect's own lint rule (issue 8: a dialect is its folder) is found by `keel lint` through the dialect's runtime,
 * and runs on that dialect alone: SQLite's ban-table-rebuild, kept in src/dialect/sqlite/lint-rules/, warns of the
 * copy in a SQLite rebuild on a SQLite file and never on PostgreSQL (PGlite), where the same SQL is no rebuild's.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createProject, runKeel, type TestProject, withConnection, withUrl } from '../integration/migrate/project.js'

const REBUILD = [
  'CREATE TABLE "_keel_new_users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL);',
  'INSERT INTO "_keel_new_users" ("id", "email") SELECT "id", "email" FROM "users";',
  'DROP TABLE "users";',
  'ALTER TABLE "_keel_new_users" RENAME TO "users";',
  '',
].join('\n')

let project: TestProject
let file: string
beforeEach(() => {
  project = createProject()
  file = join(project.root, 'rebuild.sql')
  writeFileSync(file, REBUILD)
})
afterEach(() => project.dispose())

/** The rule ids `keel lint --format json` reports for the file against the database at `url`. */
async function rulesFound(url: string): Promise<readonly string[]> {
  const run = await runKeel(project, url, 'lint', file, '--format', 'json')
  expect(run.stderr).not.toMatch(/error\[/)
  return JSON.parse(run.stdout).findings.map((f: { rule: string }) => f.rule)
}

describe("a dialect's own lint rule", () => {
  it('warns of a SQLite rebuild on a SQLite file (users has a row)', async () => {
    const url = `sqlite:${join(project.root, 'app.db')}`
    await withConnection(url, async (conn) => {
      await conn.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)')
      await conn.exec(`INSERT INTO users (email) VALUES ('a@example.com')`)
    })
    expect(await rulesFound(url)).toContain('ban-table-rebuild')
  })

  it('never runs on PostgreSQL', async () => {
    await withUrl('pglite', async (url) => {
      await withConnection(url, async (conn) => {
        await conn.exec('CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL)')
        await conn.exec(`INSERT INTO users (id, email) VALUES (1, 'a@example.com')`)
      })
      expect(await rulesFound(url)).not.toContain('ban-table-rebuild')
    })
  })
})
