import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'prefer-text-field'

describe(ID, () => {
  it('flags a varchar(n) column', async () => {
    expect(await lintErrors('create table users (name varchar(100));', ID)).toMatchInlineSnapshot(`
      "test.sql:1:21: info[prefer-text-field]: users.name is varchar(100): text with a length check is easier to change
        |
      1 | create table users (name varchar(100));
        |                     ^
        = help: Use text, with a CHECK constraint on the length if the limit matters."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table users (name text, code varchar);', ID)
  })
})
