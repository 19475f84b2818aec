import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk, liveTables } from '../../../test/support/lint.js'

const ID = 'require-concurrent-index'

describe(ID, () => {
  it('flags CREATE INDEX on an existing table', async () => {
    expect(await lintErrors('create index users_email_idx on users (email);', ID)).toMatchInlineSnapshot(`
      "test.sql:1:33: error[require-concurrent-index]: builds users_email_idx on users under a SHARE lock: writes to users wait until the build ends
        |
      1 | create index users_email_idx on users (email);
        |                                 ^
        = help: Use CREATE INDEX CONCURRENTLY in a migration of its own that starts with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves CONCURRENTLY and a table created in the same migration alone', async () => {
    await lintOk('create index concurrently users_email_idx on users (email);', ID)
    await lintOk('create table t (a int);\ncreate index t_a on t (a);', ID)
  })

  it('uses the live table size: nothing on an empty table, a warning on a small one', async () => {
    await lintOk('create index i on users (email);', ID, { live: liveTables({ users: 0 }) })
    const small = await lintErrors('create index i on users (email);', ID, { live: liveTables({ users: 500 }) })
    expect(small).toContain('warning[require-concurrent-index]')
    const large = await lintErrors('create index i on users (email);', ID, { live: liveTables({ users: 5_000_000 }) })
    expect(large).toContain('error[require-concurrent-index]')
  })

  it('leaves CREATE INDEX ON ONLY a partitioned table alone (nothing to build), not ON ONLY a plain one', async () => {
    const big = liveTables({ p: 5_000_000, p1: 5_000_000 })
    const live = { ...big, partitions: new Map([['p', ['p1']]]) }
    await lintOk('create index p_v on only p (v);', ID, { live })
    // ON ONLY a table that is not partitioned builds the whole index; and the table's partitions are built in full.
    expect(await lintErrors('create index p1_v on only p1 (v);', ID, { live })).toContain(
      'error[require-concurrent-index]',
    )
    expect(await lintErrors('create index p_v on p (v);', ID, { live })).toContain('error[require-concurrent-index]')
    // Without the live database, nothing says the table is partitioned.
    expect(await lintErrors('create index p_v on only p (v);', ID)).toContain('error[require-concurrent-index]')
  })
})
