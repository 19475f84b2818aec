import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-drop-cascade'

describe(ID, () => {
  it('flags DROP ... CASCADE (and DROP COLUMN / TRUNCATE ... CASCADE)', async () => {
    expect(await lintErrors('drop table customers cascade;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-drop-cascade]: CASCADE also drops every object that depends on this one, whatever they are
        |
      1 | drop table customers cascade;
        | ^
        = help: Drop the dependent objects explicitly, by name, before the object itself."
    `)
    expect(await lintErrors('alter table users drop column email cascade;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-drop-cascade]: CASCADE also drops every object that depends on this one, whatever they are
        |
      1 | alter table users drop column email cascade;
        | ^
        = help: Drop the dependent objects explicitly, by name, before the object itself."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('drop table customers;', ID)
  })
})
