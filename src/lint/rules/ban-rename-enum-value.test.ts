import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-rename-enum-value'

describe(ID, () => {
  it('flags ALTER TYPE ... RENAME VALUE', async () => {
    expect(
      await lintErrors("alter type order_status rename value 'canceled' to 'cancelled';", ID),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-rename-enum-value]: renames enum value 'canceled' to 'cancelled': the release still running fails writing the old one
        |
      1 | alter type order_status rename value 'canceled' to 'cancelled';
        | ^
        = help: Add the new value, move the rows and the code to it, and stop using the old value (enum values cannot be dropped without recreating the type)."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("alter type order_status add value 'cancelled';", ID)
  })
})
