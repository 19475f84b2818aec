import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-drop-table'

describe(ID, () => {
  it('flags dropping an existing table', async () => {
    expect(await lintErrors('drop table if exists public.orders, audit.log;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-drop-table]: drops table orders with all its rows; the release still running fails on it
        |
      1 | drop table if exists public.orders, audit.log;
        | ^
        = help: Rename the table to _deprecated_<name> (or stop using it) first, and drop it in a later migration after a verification period.

      test.sql:1:1: error[ban-drop-table]: drops table audit.log with all its rows; the release still running fails on it
        |
      1 | drop table if exists public.orders, audit.log;
        | ^
        = help: Rename the table to _deprecated_<name> (or stop using it) first, and drop it in a later migration after a verification period."
    `)
  })

  it('leaves a table created in the same file, and other drops, alone', async () => {
    await lintOk('create table scratch (id int);\ndrop table scratch;', ID)
    await lintOk('drop view orders_v;\ndrop index orders_idx;', ID)
  })
})
