import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-lock-table'

describe(ID, () => {
  it('flags LOCK TABLE in a migration', async () => {
    expect(await lintErrors('lock table users;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-lock-table]: locks users in ACCESS EXCLUSIVE mode until the migration commits, blocking reads and writes
        |
      1 | lock table users;
        | ^
        = help: Let each statement take the lock it needs, and keep Keel's lock_timeout so a statement that waits gives up and retries instead of stalling the application."
    `)
    expect(await lintErrors('lock table users in share mode;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-lock-table]: locks users in SHARE mode until the migration commits, blocking writes
        |
      1 | lock table users in share mode;
        | ^
        = help: Let each statement take the lock it needs, and keep Keel's lock_timeout so a statement that waits gives up and retries instead of stalling the application."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('lock table users in row exclusive mode;', ID)
  })
})
