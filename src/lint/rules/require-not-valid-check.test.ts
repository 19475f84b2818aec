import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-not-valid-check'

describe(ID, () => {
  it('flags a check validated at creation', async () => {
    expect(
      await lintErrors('alter table orders add constraint total_positive check (total >= 0);', ID),
    ).toMatchInlineSnapshot(`
      "test.sql:1:24: error[require-not-valid-check]: adds check total_positive and validates it at once: scans orders under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | alter table orders add constraint total_positive check (total >= 0);
        |                        ^
        = help: Add it NOT VALID (no scan), then VALIDATE CONSTRAINT in a later transaction, under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes."
    `)
  })

  it('accepts NOT VALID and a new table', async () => {
    await lintOk('alter table orders add constraint total_positive check (total >= 0) not valid;', ID)
    await lintOk('create table t (a int);\nalter table t add constraint c check (a > 0);', ID)
  })
})
