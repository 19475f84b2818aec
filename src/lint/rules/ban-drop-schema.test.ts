import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-drop-schema'

describe(ID, () => {
  it('flags DROP SCHEMA', async () => {
    expect(await lintErrors('drop schema reporting;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-drop-schema]: drops a whole schema and what it holds
        |
      1 | drop schema reporting;
        | ^
        = help: Drop the objects in it explicitly, each after its own verification period, then the empty schema."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('drop table reporting.t;', ID)
  })
})
