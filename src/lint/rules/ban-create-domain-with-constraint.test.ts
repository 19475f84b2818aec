import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-create-domain-with-constraint'

describe(ID, () => {
  it('flags CREATE DOMAIN with a CHECK constraint', async () => {
    expect(await lintErrors("create domain email as text check (value like '%@%');", ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: warning[ban-create-domain-with-constraint]: a domain CHECK is hard to change later: every column using the domain is scanned
        |
      1 | create domain email as text check (value like '%@%');
        | ^
        = help: Put the CHECK on the columns (where it can be added NOT VALID and validated online), and keep domains unconstrained."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create domain email as text;', ID)
  })
})
