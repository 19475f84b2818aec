import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-long-identifier'

describe(ID, () => {
  it('flags an identifier longer than 63 bytes', async () => {
    expect(
      await lintErrors(
        'create index index_users_on_organization_id_and_created_at_and_deleted_at_partial on users (organization_id);',
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-long-identifier]: index_users_on_organization_id_and_created_at_and_deleted_at_partial is 68 bytes long: PostgreSQL truncates it to 63
        |
      1 | create index index_users_on_organization_id_and_created_at_and_deleted_at_partial on users (organization_id);
        | ^
        = help: Use a shorter name."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create index users_org_idx on users (organization_id);', ID)
  })

  it('measures names in bytes: 22 three-byte characters are too long, 21 are not', async () => {
    const name = (n: number) => 'ア'.repeat(n)
    expect(await lintErrors(`create table ${name(22)} (id bigint);`, ID)).toContain('is 66 bytes long')
    await lintOk(`create table ${name(21)} (id bigint);`, ID)
  })

  it('reads quoted names, and names around strings and dollar-quoted bodies', async () => {
    const long = 'a'.repeat(64)
    expect(await lintErrors(`create table "${'x y'.repeat(22)}" (id bigint);`, ID)).toContain('is 66 bytes long')
    expect(await lintErrors(`select 'it''s' as ${long};`, ID)).toContain('is 64 bytes long')
    expect(await lintErrors(`do $body$ begin end $body$; select 1 as ${long};`, ID)).toContain('is 64 bytes long')
    await lintOk(`select '${long}' as x;`, ID)
    await lintOk(`do $$ begin perform '${long}'; end $$;`, ID)
  })

  it('finds a long name after an apostrophe in a comment, an E-string escape or a quoted name', async () => {
    const long = 'a'.repeat(64)
    // Each apostrophe below is no string's start: read as one, it hid the name up to the next quote.
    const hidden = [
      `create table t (\n  -- the user's key\n  ${long} bigint,\n  note text default 'x'\n);`,
      `create table t (\n  /* it's the key */ ${long} bigint,\n  note text default 'x'\n);`,
      `select E'it\\'s' as ${long}, 'x' as y;`,
      `create table "o'brien" (${long} bigint, note text default 'x');`,
    ]
    for (const sql of hidden) expect(await lintErrors(sql, ID), sql).toContain('is 64 bytes long')
    // And no name is read out of a comment.
    await lintOk(`create table t (id bigint); -- ${long}`, ID)
    await lintOk(`create table t (/* ${long} */ id bigint);`, ID)
  })
})
