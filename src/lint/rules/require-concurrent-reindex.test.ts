import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-concurrent-reindex'

describe(ID, () => {
  it('flags REINDEX without CONCURRENTLY', async () => {
    expect(await lintErrors('reindex index users_email_idx;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[require-concurrent-reindex]: REINDEX users_email_idx blocks writes while it rebuilds
        |
      1 | reindex index users_email_idx;
        | ^
        = help: Use REINDEX ... CONCURRENTLY in a migration of its own that starts with \`-- keel:no-transaction\`."
    `)
    expect(await lintErrors('reindex table users;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[require-concurrent-reindex]: REINDEX users blocks writes while it rebuilds
        |
      1 | reindex table users;
        | ^
        = help: Use REINDEX ... CONCURRENTLY in a migration of its own that starts with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('reindex index concurrently users_email_idx;', ID)
  })
})
