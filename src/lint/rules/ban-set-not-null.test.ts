import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-set-not-null'

describe(ID, () => {
  it('flags ALTER COLUMN ... SET NOT NULL on an existing table without a validated IS NOT NULL check', async () => {
    expect(await lintErrors('alter table users alter column email set not null;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:13: error[ban-set-not-null]: sets users.email NOT NULL: scans users under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | alter table users alter column email set not null;
        |             ^
        = help: Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later transaction (no writes blocked), then SET NOT NULL (no scan) and drop the check."
    `)
  })

  it('flags SET NOT NULL after a validated check before PostgreSQL 12, which still scans', async () => {
    const sql = 'alter table foo validate constraint foo_bar_nn;\nalter table foo alter column bar set not null;'
    const [finding] = await findingsOf(sql, ID, { live: { serverVersion: 110_000 } })
    expect(finding?.message).toContain('before PostgreSQL 12 even a validated IS NOT NULL check does not skip the scan')
    await lintOk(sql, ID, { live: { serverVersion: 120_000 } })
  })

  it('takes a VALIDATE in a migration before this one in the same run as one earlier in the file', async () => {
    const sql = 'alter table users alter column email set not null;'
    await lintOk(sql, ID, { validatedEarlier: new Set(['users']) })
    expect(await findingsOf(sql, ID, { validatedEarlier: new Set(['orders']) })).toHaveLength(1)
  })

  it('takes a validated IS NOT NULL check of the live database on that column', async () => {
    const sql = 'alter table users alter column email set not null;'
    await lintOk(sql, ID, { live: { notNullChecked: new Set(['users.email']) } })
    expect(await findingsOf(sql, ID, { live: { notNullChecked: new Set(['users.name']) } })).toHaveLength(1)
    expect(
      await findingsOf(sql, ID, { live: { serverVersion: 110_000, notNullChecked: new Set(['users.email']) } }),
    ).toHaveLength(1)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk(
      'alter table users validate constraint users_email_nn;\nalter table users alter column email set not null;',
      ID,
    )
    await lintOk('create table t (a int);\nalter table t alter column a set not null;', ID)
    await lintOk('alter table users alter column email drop not null;', ID)
  })
})
