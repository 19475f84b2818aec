import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-unbounded-update-delete'

describe(ID, () => {
  it('flags UPDATE or DELETE without WHERE on an existing table, in a schema migration', async () => {
    expect(await lintErrors("update users set plan = 'free';", ID)).toMatchInlineSnapshot(`
      "test.sql:1:8: warning[ban-unbounded-update-delete]: updates every row of users in one statement: row locks on the whole table until the migration commits
        |
      1 | update users set plan = 'free';
        |        ^
        = help: Backfill in batches (\`UPDATE ... WHERE id BETWEEN ...\`), each committing on its own, in a migration with \`-- keel:no-transaction\` (or \`-- keel:phase backfill\`)."
    `)
    expect(await lintErrors('delete from sessions;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: warning[ban-unbounded-update-delete]: deletes every row of sessions in one statement: row locks on the whole table until the migration commits
        |
      1 | delete from sessions;
        |             ^
        = help: Backfill in batches (\`UPDATE ... WHERE id BETWEEN ...\`), each committing on its own, in a migration with \`-- keel:no-transaction\` (or \`-- keel:phase backfill\`)."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("update users set plan = 'free' where id < 1000;", ID)
    await lintOk('create table t (a int);\nupdate t set a = 1;', ID)
  })
})
