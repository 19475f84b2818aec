import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'prefer-timestamptz'

describe(ID, () => {
  it('flags a timestamp column without time zone', async () => {
    expect(await lintErrors('alter table users add column last_seen timestamp;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:30: warning[prefer-timestamptz]: users.last_seen is timestamp without time zone
        |
      1 | alter table users add column last_seen timestamp;
        |                              ^
        = help: Use timestamptz (timestamp with time zone)."
    `)
    expect(await lintErrors('create table t (at timestamp(3));', ID)).toMatchInlineSnapshot(`
      "test.sql:1:17: warning[prefer-timestamptz]: t.at is timestamp without time zone
        |
      1 | create table t (at timestamp(3));
        |                 ^
        = help: Use timestamptz (timestamp with time zone)."
    `)
  })

  it('flags ALTER COLUMN ... TYPE timestamp', async () => {
    const findings = await findingsOf('alter table app.users alter column created_ts type timestamp;', ID)
    expect(findings.map((f) => f.message)).toEqual(['retypes app.users.created_ts to timestamp without time zone'])
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create table t (at timestamptz);', ID)
    await lintOk('alter table users alter column created_ts type timestamptz;', ID)
  })
})
