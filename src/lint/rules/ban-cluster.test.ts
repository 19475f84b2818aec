import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-cluster'

describe(ID, () => {
  it('flags CLUSTER', async () => {
    expect(await lintErrors('cluster users using users_pkey;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-cluster]: CLUSTER rewrites the table under ACCESS EXCLUSIVE, blocking reads and writes until it ends
        |
      1 | cluster users using users_pkey;
        | ^
        = help: Use pg_repack (with --order-by) to reorder a table online, or leave the order to the planner."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('analyze users;', ID)
  })
})
