import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-add-stored-generated-column'

describe(ID, () => {
  it('flags ADD COLUMN ... GENERATED ALWAYS AS (...) STORED on an existing table', async () => {
    expect(
      await lintErrors(
        'alter table orders add column total_cents bigint generated always as (total * 100) stored;',
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:1:31: error[ban-add-stored-generated-column]: adds stored generated column orders.total_cents: rewrites orders under ACCESS EXCLUSIVE
        |
      1 | alter table orders add column total_cents bigint generated always as (total * 100) stored;
        |                               ^
        = help: Add a plain column, fill it with a trigger for new rows and a batched backfill for old ones; or compute it in a view or the query."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('alter table orders add column total_cents bigint;', ID)
  })
})
