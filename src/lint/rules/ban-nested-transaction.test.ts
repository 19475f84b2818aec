import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-nested-transaction'

describe(ID, () => {
  it('flags BEGIN inside a transaction (or COMMIT outside one), or transaction control in a Keel migration', async () => {
    expect(await lintErrors('begin;\nbegin;\ncreate table t (a int);\ncommit;\ncommit;', ID)).toMatchInlineSnapshot(`
      "test.sql:2:1: error[ban-nested-transaction]: BEGIN inside an open transaction does not nest: the next COMMIT commits everything
        |
      2 | begin;
        | ^
        = help: Remove the transaction control; to run statements one by one, start the migration with \`-- keel:no-transaction\`.

      test.sql:5:1: error[ban-nested-transaction]: COMMIT without an open transaction
        |
      5 | commit;
        | ^
        = help: Remove the transaction control; to run statements one by one, start the migration with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('begin;\ncreate table t (a int);\ncommit;', ID)
  })
})
