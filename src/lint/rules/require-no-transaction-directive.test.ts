import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-no-transaction-directive'

describe(ID, () => {
  it('flags a non-transactional statement mixed into a transactional migration', async () => {
    const sql = 'alter table users add column email text;\ncreate index concurrently users_email_idx on users (email);'
    expect(await lintErrors(sql, ID, { migration: {} })).toMatchInlineSnapshot(`
      "up.sql:2:1: warning[require-no-transaction-directive]: CREATE INDEX CONCURRENTLY cannot run in a transaction: Keel runs it alone, outside the migration's transaction, so a failure after it leaves 20260101000000_test half applied
        |
      2 | create index concurrently users_email_idx on users (email);
        | ^
        = help: Put the statement in a migration of its own that starts with \`-- keel:no-transaction\`, so the rest of the work stays atomic."
    `)
  })

  it('accepts the directive, a statement alone, and loose files', async () => {
    const sql = 'alter table users add column email text;\ncreate index concurrently users_email_idx on users (email);'
    await lintOk(sql, ID, { migration: { noTransaction: true } })
    await lintOk('create index concurrently i on users (email);', ID, { migration: {} })
    await lintOk(sql, ID)
  })

  it('leaves ADD VALUE beside other statements alone from PostgreSQL 12 on, and flags it before 12', async () => {
    // From 12 on the runner commits it on its own, as a VALIDATE CONSTRAINT; before 12 it runs outside any transaction.
    const sql = "alter type mood add value 'happy';\nalter table people add column m mood default 'happy';"
    await lintOk(sql, ID, { migration: {} })
    await lintOk(sql, ID, { migration: {}, live: { serverVersion: 150000 } })
    expect(await lintErrors(sql, ID, { migration: {}, live: { serverVersion: 110000 } })).toContain(
      'warning[require-no-transaction-directive]: ALTER TYPE ... ADD VALUE cannot run in a transaction',
    )
  })
})
