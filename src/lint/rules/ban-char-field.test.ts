import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-char-field'

describe(ID, () => {
  it('flags a char(n) column', async () => {
    expect(await lintErrors('create table countries (code char(2));', ID)).toMatchInlineSnapshot(`
      "test.sql:1:25: warning[ban-char-field]: countries.code is char(n): blank-padded, and no faster than text
        |
      1 | create table countries (code char(2));
        |                         ^
        = help: Use text (with a CHECK on the length if it matters)."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table countries (code text);', ID)
    await lintOk('create table t ("char" text);', ID)
  })
})
