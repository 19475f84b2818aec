import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-duplicate-column-assignment'

describe(ID, () => {
  it('flags UPDATE ... SET that assigns one column twice', async () => {
    expect(await lintErrors("update users set plan = 'free', plan = 'pro' where id = 1;", ID)).toMatchInlineSnapshot(`
      "test.sql:1:33: error[ban-duplicate-column-assignment]: assigns plan twice: PostgreSQL refuses the statement
        |
      1 | update users set plan = 'free', plan = 'pro' where id = 1;
        |                                 ^
        = help: Assign each column once."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("update users set plan = 'free', name = 'x' where id = 1;", ID)
  })
})
