import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-truncate'

describe(ID, () => {
  it('flags TRUNCATE of a table this migration did not create', async () => {
    expect(await lintErrors('truncate table sessions;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:16: error[ban-truncate]: empties sessions under ACCESS EXCLUSIVE: the rows are gone for good
        |
      1 | truncate table sessions;
        |                ^
        = help: Delete the rows you mean in batches, or, for a table nothing needs any more, rename it and drop it later."
    `)
    expect(await lintErrors('truncate orders cascade;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:10: error[ban-truncate]: empties orders under ACCESS EXCLUSIVE, and with CASCADE every table that references it: the rows are gone for good
        |
      1 | truncate orders cascade;
        |          ^
        = help: Delete the rows you mean in batches, or, for a table nothing needs any more, rename it and drop it later."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table t (a int);\ntruncate t;', ID)
  })
})
