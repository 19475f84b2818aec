import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-concurrent-partition-detach'

describe(ID, () => {
  it('flags ALTER TABLE ... DETACH PARTITION without CONCURRENTLY', async () => {
    expect(await lintErrors('alter table events detach partition events_2025;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: warning[require-concurrent-partition-detach]: detaches a partition of events under ACCESS EXCLUSIVE on the parent, blocking every query on it
        |
      1 | alter table events detach partition events_2025;
        | ^
        = help: Use DETACH PARTITION ... CONCURRENTLY in a migration that starts with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('alter table events detach partition events_2025 concurrently;', ID)
  })
})
