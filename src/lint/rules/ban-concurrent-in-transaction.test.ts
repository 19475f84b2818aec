import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

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

  it("sees a file's own COMMIT and BEGIN when the file is assumed to run in a transaction", async () => {
    const sql = 'commit;\ncreate index concurrently i on t (a);\nbegin;\nalter table t add column b int;'
    await lintOk(sql, ID, { assumeInTransaction: true })
    const findings = await findingsOf('create index concurrently i on t (a);', ID, { assumeInTransaction: true })
    expect(findings).toHaveLength(1)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create index concurrently i on users (email);', ID)
    await lintOk('begin;\ncommit;\ncreate index concurrently i on users (email);', ID)
  })
})
