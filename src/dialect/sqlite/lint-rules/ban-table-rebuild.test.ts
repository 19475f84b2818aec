import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../../test/support/lint.js'

const ID = 'ban-table-rebuild'
const sqlite = { dialect: 'sqlite' } as const
const rebuild = [
  'CREATE TABLE "_keel_new_users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL);',
  'INSERT INTO "_keel_new_users" ("id", "email") SELECT "id", "email" FROM "users";',
  'DROP TABLE "users";',
  'ALTER TABLE "_keel_new_users" RENAME TO "users";',
].join('\n')

describe(ID, () => {
  it('warns of the copy of an existing table, and only of the copy (the drop is half of the rebuild)', async () => {
    expect(await lintErrors(rebuild, ID, sqlite)).toMatchInlineSnapshot(`
      "test.sql:2:1: warning[ban-table-rebuild]: copies every row of users into _keel_new_users: other writers to the database wait for the write lock until the migration commits
        |
      2 | INSERT INTO "_keel_new_users" ("id", "email") SELECT "id", "email" FROM "users";
        | ^
        = help: Run it when writers can wait (or with the application stopped); on a large table, measure the copy on a copy of the database first. Where the change allows, prefer what SQLite alters in place: ADD COLUMN, RENAME COLUMN, RENAME TO."
    `)
    expect(await findingsOf(rebuild, 'ban-drop-table', sqlite)).toEqual([])
    expect(await findingsOf(rebuild, 'ban-rename-table', sqlite)).toEqual([])
  })

  it('leaves the near-misses alone', async () => {
    // An empty table (the live database says so), a copy between two new tables, and PostgreSQL.
    await lintOk(rebuild, ID, { ...sqlite, live: { tables: new Map([['users', { rows: 0, bytes: 0 }]]) } })
    await lintOk('create table a (x int);\ncreate table b (x int);\ninsert into b select x from a;', ID, sqlite)
    await lintOk(rebuild.replace('AUTOINCREMENT', ''), ID)
  })

  it('leaves a plain drop to ban-drop-table on SQLite too', async () => {
    expect((await findingsOf('drop table `orders`;', 'ban-drop-table', sqlite)).map((f) => f.message)).toEqual([
      'drops table orders with all its rows; the release still running fails on it',
    ])
  })
})
