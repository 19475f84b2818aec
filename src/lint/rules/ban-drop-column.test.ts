import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-drop-column'

describe(ID, () => {
  it('flags dropping a column of an existing table', async () => {
    expect(await lintErrors('alter table users drop column nickname;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: error[ban-drop-column]: drops column users.nickname and its data; the release still running fails on it
        |
      1 | alter table users drop column nickname;
        |             ^
        = help: Stop using the column in the application first (expand/contract), and drop it in a later migration after a release that no longer reads it."
    `)
  })

  it('leaves new tables and other subcommands alone', async () => {
    await lintOk('create table t (a int, b int);\nalter table t drop column b;', ID)
    await lintOk('alter table users drop constraint users_nickname_key;', ID)
  })
})

describe(`${ID} in a contract phase`, () => {
  it('accepts the drop of a contract migration (the release before stopped using the column)', async () => {
    await lintOk('alter table users drop column nickname;', ID, { migration: { phase: 'contract' } })
  })
})
