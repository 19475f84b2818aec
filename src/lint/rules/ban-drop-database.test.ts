import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-drop-database'

describe(ID, () => {
  it('flags DROP DATABASE', async () => {
    expect(await lintErrors('drop database analytics;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-drop-database]: drops database analytics and everything in it
        |
      1 | drop database analytics;
        | ^
        = help: Drop databases by hand, outside migrations, after a backup."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('drop table analytics;', ID)
  })
})
