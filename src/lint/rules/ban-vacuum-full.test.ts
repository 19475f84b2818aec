import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-vacuum-full'

describe(ID, () => {
  it('flags VACUUM FULL', async () => {
    expect(await lintErrors('vacuum full users;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-vacuum-full]: VACUUM FULL rewrites each table it names under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | vacuum full users;
        | ^
        = help: Use plain VACUUM (no exclusive lock), or pg_repack / pg_squeeze to compact a table online."
    `)
    expect(await lintErrors('vacuum (full, analyze) users;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-vacuum-full]: VACUUM FULL rewrites each table it names under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | vacuum (full, analyze) users;
        | ^
        = help: Use plain VACUUM (no exclusive lock), or pg_repack / pg_squeeze to compact a table online."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('vacuum users;', ID)
    await lintOk('vacuum (full false) users;', ID)
    await lintOk('analyze users;', ID)
  })
})
