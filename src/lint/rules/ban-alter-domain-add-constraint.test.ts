import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-alter-domain-add-constraint'

describe(ID, () => {
  it('flags ALTER DOMAIN ... ADD CONSTRAINT', async () => {
    expect(
      await lintErrors("alter domain email add constraint email_at check (value like '%@%');", ID),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-alter-domain-add-constraint]: scans every column of every table that uses the domain, under locks, to validate the new constraint
        |
      1 | alter domain email add constraint email_at check (value like '%@%');
        | ^
        = help: Add it NOT VALID and VALIDATE it in a later transaction, or put the check on the columns instead."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("alter domain email add constraint email_at check (value like '%@%') not valid;", ID)
  })
})
