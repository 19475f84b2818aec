/**
 * A concurrent index drop beside an enum recreated in place, on PostgreSQL: the drop of orders_b_idx was tied to the
 * drop of orders' key to accounts by the lock on orders alone (the key reads no index of orders), and through it to
 * the run of the recreation on both sides, so keel diff (and the safe plan applyPlan runs) refused the pair with
 * error[SPLIT_RUN]. This is the shape of the round trip's pair seed 8, pair 349 (KEEL_ROUND_TRIP_SEED=8
 * KEEL_ROUND_TRIP_PATH=348; seed 5, path 131 is another). Now the drop goes before the run: the script applies
 * through the real psql client, rows kept, and a script stopped after the drop (killed between the two runs) leaves
 * a database that a new diff finishes without applying anything twice.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { withDatabase } from '../support/databases.js'
import { diffProject, psql, statementsOf } from './split-run-script.js'

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

/** keel diff's script from a source (`from.sql`, or a database URL) to to.sql, which must succeed. */
const script = diffProject('keel-split-run-apply-', from, to)

/** A database holding `from` with a row in each table. */
async function seed(conn: Connection): Promise<void> {
  await conn.exec(from)
  await conn.exec(
    "insert into accounts (id, d) values (1, 'r'), (2, 's'); insert into orders (id, b, accounts_id) values (10, 3, 1)",
  )
}

/** What the database holds after the pair: the rows, their converted enum and recomputed generated columns. */
async function rows(conn: Connection): Promise<unknown> {
  return {
    accounts: await conn.query('select id::int, d::text, h from accounts order by id'),
    orders: await conn.query('select id::int, b, g::int, e from orders order by id'),
  }
}

const AFTER = {
  accounts: [
    { id: 1, d: 'r', h: false },
    { id: 2, d: 's', h: false },
  ],
  orders: [{ id: 10, b: 3, g: 6, e: null }],
}

describe('a concurrent index drop beside an enum recreated in place (PostgreSQL)', () => {
  it('keel diff writes the drop before the recreation, outside its transaction', async () => {
    const statements = statementsOf(await script('from.sql'))
    expect(statements.slice(0, 3)).toEqual([
      'DROP INDEX CONCURRENTLY public.orders_b_idx;',
      'BEGIN;',
      'ALTER TABLE public.orders DROP CONSTRAINT orders_accounts_id_fkey;',
    ])
    expect(statements.at(-1)).toBe('COMMIT;')
    expect(statements.filter((s) => s === 'BEGIN;')).toHaveLength(1)
  })

  it('its script applies to a database holding the first schema, keeping the rows', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await seed(conn)
      psql(url, await script(url))
      expect(statementsOf(await script(url))).toEqual([])
      expect(await rows(conn)).toEqual(AFTER)
    })
  })

  it('a script stopped between the drop and the run is finished by a new diff, nothing applied twice', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await seed(conn)
      const first = statementsOf(await script(url))
      // The state the script killed between its two runs leaves: the drop committed on its own, nothing of the run.
      psql(url, `${first[0]}\n`)
      const rest = await script(url)
      // The new plan starts from the database: the drop is not in it, and the run is the same.
      expect(statementsOf(rest)).toEqual(first.slice(1))
      psql(url, rest)
      expect(statementsOf(await script(url))).toEqual([])
      expect(await rows(conn)).toEqual(AFTER)
    })
  })
})
