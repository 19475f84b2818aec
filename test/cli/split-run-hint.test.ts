/**
 * error[SPLIT_RUN]'s hint fits the command that raised it: keel diff's said to make the two changes apart "with `keel
 * generate` or `keel push` after each", neither of which a diff user runs. The pair below is refused by diff's safe
 * plan (a DROP INDEX CONCURRENTLY on orders tied both to the foreign key drop before it and to the primary key drop
 * after it, around the recreation of state): if the planner learns to order it, find another refused pair (the round
 * trip's generator, planned as diff plans, through planToSql) rather than drop the test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { POSTGRES_URL } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-split-run-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const from = `create type state as enum ('p', 'r', 's');
create table accounts (id bigint primary key, d state not null default 'p', h boolean generated always as (d = 'p') stored);
create table orders (
  id bigint not null,
  b smallint not null,
  g bigint generated always as (b * 2) stored,
  accounts_id bigint references accounts (id)
);
create index orders_b_idx on orders (b);
`
const to = `create type state as enum ('p', 's', 'r');
create table accounts (id bigint not null, d state not null default 'p', h boolean generated always as (d = 'p') stored);
create table orders (id bigint not null, b integer not null, g bigint generated always as (b * 2) stored, e state);
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
