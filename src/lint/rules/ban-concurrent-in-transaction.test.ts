import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-concurrent-in-transaction'

describe(ID, () => {
  it('flags a statement that cannot run in a transaction block (CONCURRENTLY, VACUUM, ...) inside one', async () => {
    expect(
      await lintErrors('begin;\ncreate index concurrently i on users (email);\ncommit;', ID),
    ).toMatchInlineSnapshot(`
      "test.sql:2:1: error[ban-concurrent-in-transaction]: CREATE INDEX CONCURRENTLY cannot run inside a transaction block: PostgreSQL refuses it here
        |
      2 | create index concurrently i on users (email);
        | ^
        = help: Run the statement outside the transaction: in Keel, a migration of its own that starts with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create index concurrently i on users (email);', ID)
    await lintOk('begin;\ncommit;\ncreate index concurrently i on users (email);', ID)
  })
})
