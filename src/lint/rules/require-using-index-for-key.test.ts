import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk, liveTables } from '../../../test/support/lint.js'

const ID = 'require-using-index-for-key'

describe(ID, () => {
  it('flags ADD PRIMARY KEY or ADD UNIQUE without USING INDEX on an existing table', async () => {
    expect(
      await lintErrors('alter table users add constraint users_email_key unique (email);', ID),
    ).toMatchInlineSnapshot(`
      "test.sql:1:23: error[require-using-index-for-key]: adds a unique constraint on users: builds its index under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | alter table users add constraint users_email_key unique (email);
        |                       ^
        = help: Build the unique index first with CREATE UNIQUE INDEX CONCURRENTLY (in a \`-- keel:no-transaction\` migration), then ADD CONSTRAINT ... PRIMARY KEY / UNIQUE USING INDEX, which only takes a brief lock."
    `)
    expect(await lintErrors('alter table users add primary key (id);', ID)).toMatchInlineSnapshot(`
      "test.sql:1:23: error[require-using-index-for-key]: adds a primary key on users: builds its index under ACCESS EXCLUSIVE, blocking reads and writes
        |
      1 | alter table users add primary key (id);
        |                       ^
        = help: Build the unique index first with CREATE UNIQUE INDEX CONCURRENTLY (in a \`-- keel:no-transaction\` migration), then ADD CONSTRAINT ... PRIMARY KEY / UNIQUE USING INDEX, which only takes a brief lock."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('alter table users add constraint users_email_key unique using index users_email_key;', ID)
    await lintOk('create table t (a int);\nalter table t add primary key (a);', ID)
  })

  it('leaves a partitioned table alone when each leaf partition got its key USING INDEX before it', async () => {
    const big = liveTables({ p: 5_000_000, p1: 5_000_000, p2: 0, p2a: 5_000_000 })
    const live = { ...big, partitions: new Map([['p', ['p1', 'p2a']]]) }
    const leaves = `alter table p1 add constraint p1_pkey primary key using index p1_new;
alter table p2a add constraint p2a_pkey primary key using index p2a_new;`
    await lintOk(`${leaves}\nalter table p add constraint p_pkey primary key (id, k);`, ID, { live })
    // A leaf without its key: the server builds that one under ACCESS EXCLUSIVE.
    const one = 'alter table p1 add constraint p1_pkey primary key using index p1_new;'
    expect(await lintErrors(`${one}\nalter table p add primary key (id, k);`, ID, { live })).toContain(
      'error[require-using-index-for-key]',
    )
    // Leaves with another kind of key (unique, not primary), or after the statement, do not count.
    expect(
      await lintErrors(`${leaves.replaceAll('primary key', 'unique')}\nalter table p add primary key (id, k);`, ID, {
        live,
      }),
    ).toContain('error[require-using-index-for-key]')
    expect(await lintErrors(`alter table p add primary key (id, k);\n${leaves}`, ID, { live })).toContain(
      'error[require-using-index-for-key]',
    )
  })
})
