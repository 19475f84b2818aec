import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-rename-table'

describe(ID, () => {
  it('flags renaming an existing table', async () => {
    expect(await lintErrors('alter table users rename to accounts;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: error[ban-rename-table]: renames table users to accounts: the release still running fails on the old name
        |
      1 | alter table users rename to accounts;
        |             ^
        = help: Expand/contract: create the new table (or an updatable view under the new name), move the code to it, and drop the old name in a later release."
    `)
  })

  it('accepts the rename to _deprecated_* that precedes a safe drop, and new tables', async () => {
    await lintOk('alter table orders rename to _deprecated_orders;', ID)
    await lintOk('create table t (a int);\nalter table t rename to u;', ID)
  })
})
