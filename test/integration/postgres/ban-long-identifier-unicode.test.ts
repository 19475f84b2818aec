/**
 * ban-long-identifier measures a U&"..." name as the server decodes and stores it. Each name is created on the server,
 * and its body decoded there as a U&'...' string too (the same escapes, parser.c's str_udeunescape, but no truncation):
 * the rule fires exactly on the names whose stored name is shorter than that decoded text, and says its length.
 */
import { describe, expect, it } from 'vitest'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { findingsOf } from '../../support/lint.js'

/** A U&"..." name: its body as written between the quotes, its prefix's case, and its UESCAPE clause. */
interface Case {
  readonly body: string
  readonly u?: 'u'
  readonly uescape?: string
}

const CASES: readonly Case[] = [
  // 21 escapes: 126 characters as written, 21 bytes stored (the rule fired on it before).
  { body: '\\0061'.repeat(21) },
  // 63 and 64 bytes of four-byte characters, by six-digit escapes and by surrogate pairs.
  { body: `${'\\+01F600'.repeat(15)}abc` },
  { body: '\\+01F600'.repeat(16) },
  { body: `${'\\D83D\\DE00'.repeat(15)}abc`, u: 'u' },
  { body: '\\D83D\\DE00'.repeat(16), u: 'u' },
  // Two-byte characters: 62 and 64 bytes.
  { body: '\\00e9'.repeat(31) },
  { body: '\\00E9'.repeat(32) },
  // The escape character doubled, and a doubled quote.
  { body: '\\\\'.repeat(63) },
  { body: '\\\\'.repeat(64) },
  { body: '""'.repeat(40) },
  // UESCAPE: another escape character, after a line break too; the backslash is then plain text.
  { body: '!0061'.repeat(40), uescape: " UESCAPE '!'" },
  { body: '#0062'.repeat(64), uescape: "\n  uescape '#'" },
  { body: '\\0061'.repeat(13), uescape: " uescape '!'" },
]

describe.each(DIALECTS)('ban-long-identifier on U&"..." names, on %s', (dialect) => {
  it('fires exactly where the server truncates the decoded name', async () => {
    await withDatabase(dialect, async ({ conn }) => {
      for (const [i, { body, u = 'U', uescape = '' }] of CASES.entries()) {
        const name = `${u}&"${body}"${uescape}`
        const sql = `create table ${name} (id bigint)`
        await conn.exec(`create schema s${i}; set search_path = s${i}; ${sql}; reset search_path`)
        const [stored] = await conn.query<{ relname: string }>(
          `select relname from pg_class where relnamespace = 's${i}'::regnamespace`,
        )
        const literal = body.replaceAll('""', '"').replaceAll("'", "''")
        const [decoded] = await conn.query<{ name: string }>(`select ${u}&'${literal}'${uescape} as name`)
        const full = decoded?.name ?? ''
        const relname = stored?.relname ?? ''
        expect(full.startsWith(relname), name).toBe(true)
        const findings = await findingsOf(sql, 'ban-long-identifier')
        const bytes = Buffer.byteLength(full)
        expect(findings.map((f) => f.message)).toEqual(
          relname === full ? [] : [`${full} is ${bytes} bytes long: PostgreSQL truncates it to 63`],
        )
      }
    })
  })
})
