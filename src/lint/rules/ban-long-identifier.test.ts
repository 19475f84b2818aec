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

  // PostgreSQL stores a U&"..." name decoded (scan.l, parser.c: str_udeunescape), then truncates it to 63 bytes.
  describe('a U&"..." name, measured as PostgreSQL decodes it', () => {
    it('counts each escape as the character it stands for', async () => {
      // 21 escapes: 126 characters as written, 21 bytes stored.
      await lintOk(`create table U&"${'\\0061'.repeat(21)}" (id bigint);`, ID)
      // 16 four-byte characters, by six-digit escapes and by surrogate pairs: 64 bytes.
      expect(await lintErrors(`create table U&"${'\\+01F600'.repeat(16)}" (id bigint);`, ID)).toContain(
        `${'😀'.repeat(16)} is 64 bytes long`,
      )
      expect(await lintErrors(`create table u&"${'\\D83D\\DE00'.repeat(16)}" (id bigint);`, ID)).toContain(
        'is 64 bytes long',
      )
      // Bytes, not characters: é is two.
      expect(await lintErrors(`create table U&"${'\\00e9'.repeat(32)}" (id bigint);`, ID)).toContain('is 64 bytes long')
      await lintOk(`create table U&"${'\\00E9'.repeat(31)}" (id bigint);`, ID)
    })

    it('reads a doubled escape character and a doubled quote as one character', async () => {
      await lintOk(`create table U&"${'\\\\'.repeat(40)}" (id bigint);`, ID)
      expect(await lintErrors(`create table U&"${'\\\\'.repeat(64)}" (id bigint);`, ID)).toContain('is 64 bytes long')
      await lintOk(`create table U&"${'""'.repeat(40)}" (id bigint);`, ID)
    })

    it('takes the escape character of a UESCAPE clause', async () => {
      await lintOk(`create table U&"${'!0061'.repeat(21)}" UESCAPE '!' (id bigint);`, ID)
      await lintOk(`create table U&"${'#0061'.repeat(21)}"\n  uescape\n  '#' (id bigint);`, ID)
      // Without the clause the backslash is the escape character, and `!0061` is just text.
      expect(await lintErrors(`create table U&"${'!0061'.repeat(21)}" (id bigint);`, ID)).toContain('is 105 bytes long')
      // With it, a backslash is plain text.
      expect(await lintErrors(`create table U&"${'\\0061'.repeat(13)}" uescape '!' (id bigint);`, ID)).toContain(
        'is 65 bytes long',
      )
    })

    it('leaves a name alone when U& is the end of a longer word', async () => {
      // xU&"..." is the identifier xU, the operator &, and the quoted name "...", measured as written.
      expect(await lintErrors(`select xU&"${'\\0061'.repeat(13)}" from t;`, ID)).toContain('is 65 bytes long')
    })
  })
})
