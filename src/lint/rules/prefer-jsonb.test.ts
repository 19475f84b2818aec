import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'prefer-jsonb'

describe(ID, () => {
  it('flags a json column (rather than jsonb)', async () => {
    expect(await lintErrors('create table events (payload json);', ID)).toMatchInlineSnapshot(`
      "test.sql:1:22: warning[prefer-jsonb]: events.payload is json: no equality, no GIN index, re-parsed on every read
        |
      1 | create table events (payload json);
        |                      ^
        = help: Use jsonb."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table events (payload jsonb);', ID)
    // A user's type that happens to be called json is not PostgreSQL's.
    await lintOk('create table events (payload app.json, body "JSON");', ID)
    expect(await lintErrors('create table events (payload pg_catalog.json);', ID)).toContain('is json')
  })
})
