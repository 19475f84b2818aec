import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

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
})
