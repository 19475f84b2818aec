import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'prefer-identity'

describe(ID, () => {
  it('flags a serial column (rather than an identity column)', async () => {
    expect(await lintErrors('create table users (id bigserial primary key);', ID)).toMatchInlineSnapshot(`
      "test.sql:1:21: warning[prefer-identity]: users.id is bigserial: prefer an identity column
        |
      1 | create table users (id bigserial primary key);
        |                     ^
        = help: Use bigint generated always as identity (or by default)."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table users (id bigint generated always as identity primary key);', ID)
  })
})
