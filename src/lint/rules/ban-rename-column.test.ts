import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-rename-column'

describe(ID, () => {
  it('flags renaming a column of an existing table', async () => {
    expect(await lintErrors('alter table users rename column name to full_name;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: error[ban-rename-column]: renames users.name to full_name: the release still running fails on the old name
        |
      1 | alter table users rename column name to full_name;
        |             ^
        = help: Expand/contract: add the new column, write both (trigger), backfill, move reads to the new name, then drop the old column in a later release."
    `)
  })

  it('leaves a table created in the same file alone', async () => {
    await lintOk('create table t (a int);\nalter table t rename column a to b;', ID)
    await lintOk('alter table users rename to accounts;', ID)
  })
})

describe(`${ID} in a contract phase`, () => {
  it('accepts the rename that swaps in the column expand built (the old release is gone)', async () => {
    await lintOk('alter table users rename column age_keel_new to age;', ID, { migration: { phase: 'contract' } })
  })
})
