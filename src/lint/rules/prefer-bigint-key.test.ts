import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'prefer-bigint-key'

describe(ID, () => {
  it('flags an integer or smallint primary key, identity or serial column', async () => {
    expect(
      await lintErrors('create table users (id integer generated always as identity primary key);', ID),
    ).toMatchInlineSnapshot(`
      "test.sql:1:21: warning[prefer-bigint-key]: users.id is a 4-byte key: it runs out, and widening it later rewrites the table
        |
      1 | create table users (id integer generated always as identity primary key);
        |                     ^
        = help: Use bigint (bigint generated always as identity, or bigserial) for keys."
    `)
    expect(await lintErrors('create table t (id serial);', ID)).toMatchInlineSnapshot(`
      "test.sql:1:17: warning[prefer-bigint-key]: t.id is a 4-byte key: it runs out, and widening it later rewrites the table
        |
      1 | create table t (id serial);
        |                 ^
        = help: Use bigint (bigint generated always as identity, or bigserial) for keys."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table users (id bigint primary key, age integer);', ID)
    await lintOk('create table t (id bigserial);', ID)
  })
})
