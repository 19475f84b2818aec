import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-uncommitted-transaction'

describe(ID, () => {
  it('flags a BEGIN without a matching COMMIT at the end of the file', async () => {
    expect(await lintErrors('begin;\nalter table users add column plan text;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-uncommitted-transaction]: opens a transaction that the file never commits
        |
      1 | begin;
        | ^
        = help: End the file with COMMIT, or (in a Keel migration) leave transaction control to Keel's runner."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('begin;\nalter table users add column plan text;\ncommit;', ID)
  })
})
