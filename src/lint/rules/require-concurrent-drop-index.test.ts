import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-concurrent-drop-index'

/**
 * What `keel generate --allow-unsafe` writes for an enum recreated in place (it loses a value, and a domain is over
 * it) whose column a partial index reads: the index is dropped, the column converted (a rewrite under ACCESS
 * EXCLUSIVE), and the index made again, in one transaction.
 */
const RECREATION = `DROP INDEX public.posts_happy;
ALTER TYPE public.mood RENAME TO mood_keel_old;
CREATE TYPE public.mood AS ENUM ('ok', 'happy');
ALTER TABLE public.posts ALTER COLUMN m TYPE public.mood USING m::text::public.mood;
DROP TYPE public.mood_keel_old;
CREATE INDEX posts_happy ON public.posts (id) WHERE (m = 'happy'::mood);
`

describe(ID, () => {
  it('flags DROP INDEX without CONCURRENTLY', async () => {
    expect(await lintErrors('drop index users_email_idx;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: warning[require-concurrent-drop-index]: drops users_email_idx under ACCESS EXCLUSIVE on its table
        |
      1 | drop index users_email_idx;
        | ^
        = help: Use DROP INDEX CONCURRENTLY in a migration of its own that starts with \`-- keel:no-transaction\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('drop index concurrently users_email_idx;', ID)
    await lintOk('create index i on "Shop".t (a);\ndrop index "Shop".i;', ID)
  })

  it("leaves alone an index dropped in the transaction that rewrites its table (an enum's in-place recreation)", async () => {
    await lintOk(RECREATION, ID, { migration: {} })
    await lintOk(`begin;\n${RECREATION}commit;\n`, ID)
  })

  it('flags it where the table is not rewritten in the same transaction, or its table is unknown', async () => {
    const flagged = async (sql: string, noTransaction = false) =>
      (await findingsOf(sql, ID, { migration: { noTransaction } })).map((f) => f.message)
    // Each statement commits on its own: the drop takes its lock apart from the rewrite.
    expect(await flagged(RECREATION, true)).toEqual(['drops posts_happy under ACCESS EXCLUSIVE on its table'])
    // Another table is rewritten.
    expect(await flagged(RECREATION.replace('ALTER TABLE public.posts', 'ALTER TABLE public.comments'))).toEqual([
      'drops posts_happy under ACCESS EXCLUSIVE on its table',
    ])
    // Rebuilt without a rewrite: the drop is the only ACCESS EXCLUSIVE the migration takes on posts.
    expect(await flagged('drop index posts_happy;\ncreate index posts_happy on posts (id) where m = 1;\n')).toEqual([
      'drops posts_happy under ACCESS EXCLUSIVE on its table',
    ])
    // The rewrite runs in another transaction: after a COMMIT, or after a statement Keel's runner commits on its own.
    const apart = RECREATION.replace('ALTER TYPE public.mood RENAME', 'COMMIT;\nBEGIN;\nALTER TYPE public.mood RENAME')
    expect((await findingsOf(`BEGIN;\n${apart}COMMIT;\n`, ID)).map((f) => f.message)).toEqual([
      'drops posts_happy under ACCESS EXCLUSIVE on its table',
    ])
    const validated = RECREATION.replace(
      'ALTER TYPE public.mood RENAME',
      'ALTER TABLE public.tags VALIDATE CONSTRAINT tags_ok;\nALTER TYPE public.mood RENAME',
    )
    expect(await flagged(validated)).toEqual(['drops posts_happy under ACCESS EXCLUSIVE on its table'])
    // Which table the index is on is unknown (it is not made again here).
    expect(await flagged('drop index posts_happy;\nalter table posts alter column m type bigint;\n')).toEqual([
      'drops posts_happy under ACCESS EXCLUSIVE on its table',
    ])
  })
})
