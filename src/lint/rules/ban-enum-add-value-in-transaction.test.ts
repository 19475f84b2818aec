import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-enum-add-value-in-transaction'

describe(ID, () => {
  it('flags ALTER TYPE ... ADD VALUE inside a transaction block on PostgreSQL before 12, or used before it commits', async () => {
    expect(
      await lintErrors(
        "begin;\nalter type mood add value 'ok';\ninsert into people (mood) values ('ok');\ncommit;",
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:2:1: error[ban-enum-add-value-in-transaction]: ADD VALUE 'ok' is used later in the same transaction: PostgreSQL refuses the new value before it commits
        |
      2 | alter type mood add value 'ok';
        | ^
        = help: Add the value in a migration (or transaction) of its own, and use it in a later one."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("alter type mood add value 'ok';", ID)
    await lintOk("begin;\nalter type mood add value 'ok';\ncommit;", ID)
  })
})
