/**
 * Two indexes of one name in two schemas beside an enum recreated in place, on PostgreSQL: other.shared_idx reads the
 * converted column other.accounts.d, so the run drops it before the conversion and makes it again after, and
 * public.shared_idx on orders is dropped concurrently. step-ties.ts compared object names without their schemas, so
 * the concurrent drop was tied by its name to both, could go neither before the run nor after it, and keel diff
 * refused the pair with error[SPLIT_RUN]. Now the names are read in their schemas (step-ties-names.ts): the drop goes
 * before the run, the script applies through the real psql client, rows kept, and a new diff finds nothing to do.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { withDatabase } from '../support/databases.js'
import { diffProject, psql, statementsOf } from './split-run-script.js'

const from = `create schema other;
create type state as enum ('p', 'r', 's');
create table other.accounts (id bigint primary key, d state not null default 'p');
create index shared_idx on other.accounts (id) where d = 'p';
create table orders (id bigint primary key, b smallint not null);
create index shared_idx on orders (b);
`
const to = `create schema other;
create type state as enum ('p', 's', 'r');
create table other.accounts (id bigint primary key, d state not null default 'p');
create index shared_idx on other.accounts (id) where d = 'p';
create table orders (id bigint primary key, b smallint not null);
`

/** keel diff's script from a source (`from.sql`, or a database URL) to to.sql, which must succeed. */
const script = diffProject('keel-split-run-schemas-', from, to)

/** What the database holds: the rows, the converted enum, and which indexes named shared_idx are left where. */
async function state(conn: Connection): Promise<unknown> {
  return {
    accounts: await conn.query('select id::int, d::text from other.accounts order by id'),
    orders: await conn.query('select id::int, b from orders order by id'),
    indexes: await conn.query(
      "select schemaname, tablename from pg_indexes where indexname = 'shared_idx' order by schemaname",
    ),
    // The index made again reads the new type: 'p' is still the value it selects.
    partial: await conn.query("select count(*)::int as n from other.accounts where d = 'p'"),
  }
}

describe('two indexes of one name in two schemas beside an enum recreated in place (PostgreSQL)', () => {
  it('keel diff writes the concurrent drop before the recreation, outside its transaction', async () => {
    const statements = statementsOf(await script('from.sql'))
    expect(statements.slice(0, 3)).toEqual([
      'DROP INDEX CONCURRENTLY public.shared_idx;',
      'BEGIN;',
      'DROP INDEX other.shared_idx;',
    ])
    expect(statements.at(-1)).toBe('COMMIT;')
    expect(statements.filter((s) => s === 'BEGIN;')).toHaveLength(1)
  })

  it('its script applies to a database holding the first schema, keeping the rows', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(from)
      await conn.exec(
        "insert into other.accounts (id, d) values (1, 'r'), (2, 'p'), (3, 's'); insert into orders values (10, 3)",
      )
      psql(url, await script(url))
      expect(statementsOf(await script(url))).toEqual([])
      expect(await state(conn)).toEqual({
        accounts: [
          { id: 1, d: 'r' },
          { id: 2, d: 'p' },
          { id: 3, d: 's' },
        ],
        orders: [{ id: 10, b: 3 }],
        indexes: [{ schemaname: 'other', tablename: 'accounts' }],
        partial: [{ n: 1 }],
      })
    })
  })
})
