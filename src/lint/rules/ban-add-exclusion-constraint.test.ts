import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-add-exclusion-constraint'

describe(ID, () => {
  it('flags ADD CONSTRAINT ... EXCLUDE on an existing table', async () => {
    expect(
      await lintErrors(
        'alter table bookings add constraint no_overlap exclude using gist (room with =, during with &&);',
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:1:26: error[ban-add-exclusion-constraint]: adds exclusion constraint no_overlap on bookings: builds and checks under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | alter table bookings add constraint no_overlap exclude using gist (room with =, during with &&);
        |                          ^
        = help: Add it when the table is created, or in a maintenance window; check first how long the build takes on a production-sized copy."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk(
      'create table b (room int, during tstzrange);\nalter table b add constraint x exclude using gist (room with =, during with &&);',
      ID,
    )
  })
})
