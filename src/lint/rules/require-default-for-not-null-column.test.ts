import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk, liveTables } from '../../../test/support/lint.js'

const ID = 'require-default-for-not-null-column'

describe(ID, () => {
  it('flags a NOT NULL column without a default on an existing table', async () => {
    expect(await lintErrors('alter table users add column plan text not null;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:30: error[require-default-for-not-null-column]: adds NOT NULL column users.plan without a default: fails on a table with rows, and inserts from the release still running fail
        |
      1 | alter table users add column plan text not null;
        |                              ^
        = help: Add the column nullable, backfill it in batches, then add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, and SET NOT NULL; or give it a constant DEFAULT."
    `)
  })

  it('accepts a default, identity, a nullable column, a new table, and an empty one', async () => {
    await lintOk("alter table users add column plan text not null default 'free';", ID)
    await lintOk('alter table users add column n bigint generated always as identity not null;', ID)
    await lintOk('alter table users add column plan text;', ID)
    await lintOk('create table t (a int);\nalter table t add column b int not null;', ID)
    await lintOk('alter table users add column plan text not null;', ID, { live: liveTables({ users: 0 }) })
  })
  it('is an error on SQLite whatever the table (SQLite refuses it), and says what MySQL does instead', async () => {
    const sqlite = await findingsOf('create table t (a int);\nalter table t add column b int not null;', ID, {
      dialect: 'sqlite',
      live: liveTables({ users: 0 }),
    })
    expect(sqlite.map((f) => [f.severity, f.message])).toEqual([
      ['error', 'adds NOT NULL column t.b without a default: SQLite refuses it'],
    ])
    const [mysql] = await findingsOf('alter table users add column plan text not null;', ID, { dialect: 'mysql' })
    expect(mysql?.message).toBe(
      "adds NOT NULL column users.plan without a default: existing rows get the type's implicit default (0, ''), and inserts from the release still running fail in strict mode",
    )
  })
})
