import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-ddl-with-dml'

describe(ID, () => {
  it('flags a bulk data change in the same transaction as DDL on an existing table', async () => {
    expect(
      await lintErrors("alter table users add column plan text;\nupdate users set plan = 'free';", ID, {
        migration: {},
      }),
    ).toMatchInlineSnapshot(`
      "up.sql:2:1: warning[ban-ddl-with-dml]: changes rows in the same transaction as \`alter table users add column plan text\` (line 1): its lock is held until the data change commits
        |
      2 | update users set plan = 'free';
        | ^
        = help: Put schema changes and data changes in separate migrations; backfill in batches in a \`-- keel:no-transaction\` (or \`-- keel:phase backfill\`) migration."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table t (a int);\ninsert into t select 1;', ID)
    await lintOk("alter table users add column plan text;\ninsert into audit (msg) values ('x');", ID)
    // A loose file is not assumed to run in one transaction; a no-transaction migration commits each statement.
    await lintOk("alter table users add column plan text;\nupdate users set plan = 'free';", ID)
    await lintOk("alter table users add column plan text;\nupdate users set plan = 'free';", ID, {
      migration: { noTransaction: true },
    })
  })
})
