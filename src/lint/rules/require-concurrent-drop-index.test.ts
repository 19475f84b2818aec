import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'
import type { Step } from '../../plan/step.js'
import type { QualifiedName } from '../../schema/model.js'
import { lintSteps } from '../lint-plan.js'
import type { MigrationInfo } from '../rule.js'

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

  // PostgreSQL 15's ALTER TABLE notes: each rewrites the table and its indexes under ACCESS EXCLUSIVE until the commit.
  const REWRITES = [
    'alter table public.posts add column token uuid default gen_random_uuid()',
    'alter table public.posts add column seen timestamptz default clock_timestamp()',
    'alter table public.posts add column n bigserial',
    'alter table public.posts add column n bigint generated always as identity',
    'alter table public.posts add column twice bigint generated always as (id * 2) stored',
    'alter table public.posts set unlogged',
    'alter table public.posts set logged',
    'alter table public.posts set access method heap',
    'cluster public.posts using posts_pkey',
  ]

  it('leaves alone an index dropped in the transaction of any rewrite of its table, not only ALTER COLUMN TYPE', async () => {
    for (const rewrite of REWRITES) {
      const sql = `drop index public.posts_happy;\n${rewrite};\ncreate index posts_happy on public.posts (id) where m = 1;\n`
      expect(await findingsOf(sql, ID, { migration: {} }), rewrite).toEqual([])
      // The same rewrite in another transaction, or of another table, holds nothing for the drop.
      const apart = sql.replace(`${rewrite};`, `commit;\nbegin;\n${rewrite};`)
      expect(await findingsOf(`begin;\n${apart}commit;\n`, ID), rewrite).toHaveLength(1)
      const other = sql.replace(rewrite, rewrite.replace('public.posts', 'public.comments'))
      expect(await findingsOf(other, ID, { migration: {} }), rewrite).toHaveLength(1)
    }
  })

  it('flags it beside a change of its table that does not rewrite it', async () => {
    const NO_REWRITE = [
      'alter table public.posts drop column m',
      "alter table public.posts add column note text default 'x'",
      'alter table public.posts add column seen timestamptz default now()',
      // Not built in: volatile unless declared otherwise, but lint cannot know, so it does not count it a rewrite.
      'alter table public.posts add column code text default public.next_code()',
      'alter table public.posts alter column m set not null',
      'alter table public.posts set tablespace pg_default',
      'alter table public.posts set (fillfactor = 70)',
    ]
    for (const change of NO_REWRITE) {
      const sql = `drop index public.posts_happy;\n${change};\ncreate index posts_happy on public.posts (id) where m = 1;\n`
      expect(
        (await findingsOf(sql, ID, { migration: {} })).map((f) => f.message),
        change,
      ).toEqual(['drops posts_happy under ACCESS EXCLUSIVE on its table'])
    }
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

/** A generated step with the lock the planner writes on `table` (blank: none); only the facts the rule reads matter. */
function step(sql: string, table: string): Step {
  const on: QualifiedName[] = table === '' ? [] : [{ schema: 'public', name: table }]
  return {
    sql,
    reverse: { irreversible: 'test' },
    transactional: true,
    lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on },
    rewritesTable: sql.includes(' TYPE '),
    scansTable: false,
    dataLoss: 'none',
    phase: 'contract',
    source: { kind: 'renameTable', from: { name: 'a' }, to: { name: 'b' } },
    comment: sql,
  }
}

/**
 * What a contract writes that drops orders_f_idx for good (its column goes) on a table an enum recreated in place
 * converts: the drop runs in the recreation's transaction, and nothing in the migration builds the index again.
 */
const CONTRACT: readonly Step[] = [
  step('DROP INDEX public.orders_f_idx', 'orders'),
  step('ALTER TABLE public.orders DROP COLUMN f', 'orders'),
  step('ALTER TYPE public.state RENAME TO state_keel_old', ''),
  step("CREATE TYPE public.state AS ENUM ('r', 'p')", ''),
  step('ALTER TABLE public.orders ALTER COLUMN a TYPE public.state USING a::text::public.state', 'orders'),
  step('DROP TYPE public.state_keel_old', ''),
]

/** The rule's messages on generated steps, linted as generate lints them (a migration's up.sql). */
async function onSteps(steps: readonly Step[], migration: Partial<MigrationInfo> = {}): Promise<string[]> {
  const info: MigrationInfo = { id: '20260101000000_c', noTransaction: false, hasDown: true, upFile: 'up.sql' }
  const text = steps.map((s) => `${s.sql};\n`).join('')
  const linted = await lintSteps('up.sql', text, steps, { ...info, ...migration })
  return linted.findings.filter((f) => f.rule === ID).map((f) => f.message)
}

describe(`${ID} on generated steps`, () => {
  const FLAGGED = ['drops orders_f_idx under ACCESS EXCLUSIVE on its table']

  it('leaves alone an index dropped for good in the transaction that rewrites its table, known from the step', async () => {
    expect(await onSteps(CONTRACT)).toEqual([])
  })

  it('flags it alone, beside a rewrite of another table, outside a transaction, or past a commit', async () => {
    expect(await onSteps(CONTRACT.slice(0, 2))).toEqual(FLAGGED)
    const other = step('ALTER TABLE public.notes ALTER COLUMN a TYPE public.state USING a::text::public.state', 'notes')
    expect(await onSteps([...CONTRACT.slice(0, 4), other])).toEqual(FLAGGED)
    expect(await onSteps(CONTRACT, { noTransaction: true })).toEqual(FLAGGED)
    // Keel's runner commits a VALIDATE on its own: the rewrite after it runs in another transaction.
    const validate = step('ALTER TABLE public.tags VALIDATE CONSTRAINT tags_ok', 'tags')
    expect(await onSteps([CONTRACT[0] as Step, validate, ...CONTRACT.slice(1)])).toEqual(FLAGGED)
    // The same SQL written by hand: which table the index is on is unknown.
    const text = CONTRACT.map((s) => `${s.sql};\n`).join('')
    expect((await findingsOf(text, ID, { migration: {} })).map((f) => f.message)).toEqual(FLAGGED)
  })
})
