import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-volatile-default'

describe(ID, () => {
  it('flags ADD COLUMN with a volatile default (or serial, or identity) on an existing table', async () => {
    expect(
      await lintErrors('alter table users add column token uuid default gen_random_uuid();', ID),
    ).toMatchInlineSnapshot(`
      "test.sql:1:30: error[ban-volatile-default]: adds users.token with a volatile default (gen_random_uuid()): the value is computed for every row, rewriting users under ACCESS EXCLUSIVE
        |
      1 | alter table users add column token uuid default gen_random_uuid();
        |                              ^
        = help: Add the column without a default (or with a constant one), set the default for new rows with ALTER COLUMN SET DEFAULT, and backfill existing rows in batches."
    `)
    expect(await lintErrors('alter table users add column n bigserial;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:30: error[ban-volatile-default]: adds users.n with a serial type: the value is computed for every row, rewriting users under ACCESS EXCLUSIVE
        |
      1 | alter table users add column n bigserial;
        |                              ^
        = help: Add the column without a default (or with a constant one), set the default for new rows with ALTER COLUMN SET DEFAULT, and backfill existing rows in batches."
    `)
  })

  it('takes a function PostgreSQL does not ship for volatile (a warning), also among other actions', async () => {
    const findings = await findingsOf('alter table t set logged, add column c integer default uuid();', ID)
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        'adds t.c with a default calling uuid(), volatile unless it was declared STABLE or IMMUTABLE: the value is computed for every row, rewriting t under ACCESS EXCLUSIVE',
      ],
    ])
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("alter table users add column plan text default 'free';", ID)
    await lintOk('alter table users add column at timestamptz default now();', ID)
    await lintOk("alter table users add column at timestamp default timezone('utc', now());", ID)
    await lintOk('alter table users add column at timestamptz default statement_timestamp();', ID)
    await lintOk('create table t (a int);\nalter table t add column token uuid default gen_random_uuid();', ID)
  })
})
