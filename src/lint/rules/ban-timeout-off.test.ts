import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-timeout-off'

describe(ID, () => {
  it('flags SET lock_timeout or statement_timeout to 0 (off)', async () => {
    expect(await lintErrors('set lock_timeout = 0;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-timeout-off]: turns lock_timeout off: a statement waiting for a lock then waits, and blocks the queries queued behind it, without limit
        |
      1 | set lock_timeout = 0;
        | ^
        = help: Keep the timeouts; for a statement that needs longer, give the migration its own with \`-- keel:lock-timeout 30s\` or \`-- keel:statement-timeout 10min\`."
    `)
    expect(await lintErrors("set local statement_timeout = '0';", ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-timeout-off]: turns statement_timeout off: a statement waiting for a lock then waits, and blocks the queries queued behind it, without limit
        |
      1 | set local statement_timeout = '0';
        | ^
        = help: Keep the timeouts; for a statement that needs longer, give the migration its own with \`-- keel:lock-timeout 30s\` or \`-- keel:statement-timeout 10min\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("set lock_timeout = '5s';", ID)
    await lintOk('set statement_timeout = 1000;', ID)
  })
})
