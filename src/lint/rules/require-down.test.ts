import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-down'

describe(ID, () => {
  it('flags a migration folder without a down', async () => {
    expect(await lintErrors('create table t (a int);', ID, { migration: { hasDown: false } })).toMatchInlineSnapshot(`
      "up.sql:1:1: warning[require-down]: 20260101000000_test has no down: \`keel rollback\` cannot undo it
        |
      1 | create table t (a int);
        | ^
        = help: Write down.sql (it restores the schema; say in it when data cannot come back), and check it with \`keel check\`, which runs up, down and up again on a scratch database."
    `)
  })

  it('accepts a folder with a down, and loose files', async () => {
    await lintOk('create table t (a int);', ID, { migration: { hasDown: true } })
    await lintOk('create table t (a int);', ID)
  })
})
