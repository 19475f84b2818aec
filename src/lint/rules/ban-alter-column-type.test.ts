import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-alter-column-type'

describe(ID, () => {
  it('flags a type change on an existing table', async () => {
    expect(await lintErrors('alter table users alter column id type bigint;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: error[ban-alter-column-type]: changes the type of users.id to bigint: rewrites the table and its indexes under ACCESS EXCLUSIVE on users, blocking reads and writes
        |
      1 | alter table users alter column id type bigint;
        |             ^
        = help: Expand/contract: add a column of the new type, keep both written (trigger), backfill in batches, switch reads, then drop the old column."
    `)
  })

  it('stays quiet for a new table and for changes the live database shows to be catalog-only', async () => {
    await lintOk('create table t (a int);\nalter table t alter column a type bigint;', ID)
    const live = { columnTypes: new Map([['users.name', 'character varying(20)']]) }
    await lintOk('alter table users alter column name type varchar(50);', ID, { live })
    await lintOk('alter table users alter column name type text;', ID, { live })
  })

  it('still flags a shrinking varchar, naming the old type', async () => {
    const live = { columnTypes: new Map([['users.name', 'character varying(20)']]) }
    const text = await lintErrors('alter table users alter column name type varchar(10);', ID, { live })
    expect(text).toContain('from character varying(20) to varchar(10)')
  })

  it('names a user type as written: its schema, and its case where quoted', async () => {
    const text = await lintErrors(
      'alter table orders alter column mood type "Shop"."Mood" using mood::text::"Shop"."Mood";',
      ID,
    )
    expect(text).toContain('to "Shop"."Mood":')
    expect(await lintErrors('alter table orders alter column mood type app.mood;', ID)).toContain('to app.mood:')
  })

  it('does not take a user type named like a built-in one for it', async () => {
    const live = { columnTypes: new Map([['users.name', 'text']]) }
    await lintOk('alter table users alter column name type text;', ID, { live })
    expect(await lintErrors('alter table users alter column name type app.text;', ID, { live })).toContain(
      'to app.text:',
    )
  })
})
