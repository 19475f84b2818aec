import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-concurrent-drop-index'

describe(ID, () => {
  it('flags DROP INDEX without CONCURRENTLY', async () => {
    expect(await lintErrors('drop index users_email_idx;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: warning[require-concurrent-drop-index]: drops users_email_idx under ACCESS EXCLUSIVE on its table
        |
      1 | drop index users_email_idx;
        | ^
        = help: Use DROP INDEX CONCURRENTLY in a migration of its own that starts with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('drop index concurrently users_email_idx;', ID)
  })
})
