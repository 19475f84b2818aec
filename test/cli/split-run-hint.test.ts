/**
 * error[SPLIT_RUN]'s hint fits the command that raised it: keel diff's said to make the two changes apart "with `keel
 * generate` or `keel push` after each", neither of which a diff user runs. The pair below is refused by diff's safe
 * plan: the recreation of state converts other.accounts.d, so the run drops the partial index other.shared_idx over it
 * before the conversion and makes it again after, and drops and sets again d's default; an index of orders named d
 * (public.d) is dropped concurrently between them. step-ties.ts reads names as words: the column d (`ALTER COLUMN d
 * DROP DEFAULT`, `WHERE (d = 'p'::state)`) is a name alone, which may be a relation of public by the search path, so
 * the drop of public.d is tied to the run on both sides and can go neither before it nor after it. PostgreSQL's parser
 * now tells a column's qualifier and a table's alias from a relation (step-ties-qualifiers.ts: a view's `yy.e` no longer
 * ties the drop of an index public.yy, split-run-views-apply.test.ts), not a column written alone. It is a tie the
 * splitter keeps on purpose (a word alone it cannot place is taken as every object of its name it may resolve to),
 * not a dependency PostgreSQL has: no refused pair with a real one is known. The round trip's generator yields none
 * (over 100,000 pairs, fc.sample of schemaPairArb, seeds 1 to 230), and the two pairs this test drove before are
 * ordered now: a concurrent drop tied to a key of its own table by the lock (split-run-apply.test.ts), and
 * public.shared_idx tied by its name to other.shared_idx (split-run-schemas-apply.test.ts). If the planner learns this
 * one too, find another refused pair rather than drop the test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { POSTGRES_URL } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-split-run-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const from = `create schema other;
create type state as enum ('p', 'r', 's');
create table other.accounts (id bigint primary key, d state not null default 'p');
create index shared_idx on other.accounts (id) where d = 'p';
create table orders (id bigint primary key, b smallint not null);
create index d on orders (b);
`
const to = `create schema other;
create type state as enum ('p', 's', 'r');
create table other.accounts (id bigint primary key, d state not null default 'p');
create index shared_idx on other.accounts (id) where d = 'p';
create table orders (id bigint primary key, b smallint not null);
`

describe('error[SPLIT_RUN] raised by keel diff', () => {
  it('hints at keel diff in two steps, not at generate or push', async () => {
    writeFileSync(join(root, 'from.sql'), from)
    writeFileSync(join(root, 'to.sql'), to)
    const result = await runKeel(['diff', '--url', POSTGRES_URL, '--from', 'from.sql', '--to', 'to.sql'], {
      cwd: root,
    })
    expect(result.stderr).toContain('error[SPLIT_RUN]')
    expect(result.code).toBe(2)
    const hint = result.stderr.split('\n').find((line) => line.startsWith('hint: ')) ?? ''
    expect(hint).toContain('`keel diff --to`')
    expect(hint).not.toContain('keel generate')
    expect(hint).not.toContain('keel push')
  })
})
