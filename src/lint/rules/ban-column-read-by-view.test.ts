import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-column-read-by-view'

describe(ID, () => {
  it('flags dropping or renaming a column that a view reads (needs --url)', async () => {
    expect(
      await lintErrors('alter table users drop column email;', ID, {
        live: { viewColumns: new Map([['users', [{ view: 'active_users', column: 'email' }]]]) },
      }),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-column-read-by-view]: drops or retypes users.email, which active_users reads
        |
      1 | alter table users drop column email;
        | ^
        = help: Change or drop the view first, in its own step, then the column."
    `)
    expect(
      await lintErrors('alter table users rename column email to mail;', ID, {
        live: { viewColumns: new Map([['users', [{ view: 'active_users', column: 'email' }]]]) },
      }),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-column-read-by-view]: renames users.email, which active_users reads
        |
      1 | alter table users rename column email to mail;
        | ^
        = help: Change or drop the view first, in its own step, then the column."
    `)
  })

  it('leaves a column alone whose reading view the migration dropped before (a contract drops it for the swap)', async () => {
    const live = { viewColumns: new Map([['users', [{ view: 'active_users', column: 'email' }]]]) }
    await lintOk('drop view public.active_users;\nalter table users drop column email;', ID, { live })
    expect(await lintErrors('alter table users drop column email;\ndrop view active_users;', ID, { live })).toContain(
      'drops or retypes users.email, which active_users reads',
    )
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('alter table users drop column nickname;', ID, {
      live: { viewColumns: new Map([['users', [{ view: 'active_users', column: 'email' }]]]) },
    })
  })
})
