import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-drop-not-null'

describe(ID, () => {
  it('flags ALTER COLUMN ... DROP NOT NULL on an existing table', async () => {
    expect(await lintErrors('alter table users alter column email drop not null;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: warning[ban-drop-not-null]: lets users.email hold NULL: readers that assume it never does may break
        |
      1 | alter table users alter column email drop not null;
        |             ^
        = help: Make sure every reader handles NULL before the migration runs; suppress the finding with a reason once checked."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('alter table users alter column email set default 1;', ID)
  })
})
