/**
 * Two tables of one name in two schemas, each with a column d, beside an enum recreated in place, on PostgreSQL: the
 * recreation converts other.zz.d, and public.zz.d (a varchar) is retyped and made NOT NULL, its check zz_d_check
 * dropped and added again. whole-runs.ts compared bare names, so the check's drop (its words: zz and d) read the
 * converted column and joined the recreation's run, as did its add after it (the same bare key, the word d): the
 * transaction held the check over a column it never converts, and the run spanned what lay between. Names are now
 * read in their schemas (step-ties-names.ts): the check's add is no member, it comes after the COMMIT, and the script
 * applies through the real psql client, rows kept, and a new diff finds nothing to do.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { withDatabase } from '../support/databases.js'
import { diffProject, psql, statementsOf } from './split-run-script.js'

const from = `create schema other;
create type state as enum ('p', 'r', 's');
create table other.zz (id bigint primary key, d state not null default 'p');
create table zz (id bigint primary key, d varchar(10), constraint zz_d_check check (d <> 'x'));
`
const to = `create schema other;
create type state as enum ('p', 's', 'r');
create table other.zz (id bigint primary key, d state not null default 'p');
create table zz (id bigint primary key, d varchar(20) not null, constraint zz_d_check check (d <> 'y'));
`

/** keel diff's script from a source (`from.sql`, or a database URL) to to.sql, which must succeed. */
const script = diffProject('keel-split-run-whole-runs-schemas-', from, to)

/** What the database holds: the rows of both tables, the enum's order, and public.zz's check and NOT NULL. */
async function state(conn: Connection): Promise<unknown> {
  return {
    other: await conn.query('select id::int, d::text from other.zz order by id'),
    public: await conn.query('select id::int, d from zz order by id'),
    // The new order: s before r (by the column, not its text).
    sorted: await conn.query('select d::text as value from other.zz order by d'),
    check: await conn.query(
      "select pg_get_constraintdef(oid) as def, convalidated from pg_constraint where conname = 'zz_d_check'",
    ),
    nullable: await conn.query(
      "select is_nullable from information_schema.columns where table_schema = 'public' and table_name = 'zz' and column_name = 'd'",
    ),
  }
}

describe('a same-named table of another schema beside an enum recreated in place (PostgreSQL)', () => {
  it("keel diff keeps public.zz's check out of the recreation's transaction", async () => {
    const statements = statementsOf(await script('from.sql'))
    const commit = statements.indexOf('COMMIT;')
    const add = statements.findIndex((s) => s.startsWith('ALTER TABLE public.zz ADD CONSTRAINT zz_d_check '))
    expect(statements.filter((s) => s === 'BEGIN;')).toHaveLength(1)
    expect(statements.slice(commit - 2, commit)).toEqual([
      'ALTER TABLE public.zz ALTER COLUMN d TYPE varchar(20);',
      'ALTER TABLE public.zz ADD CONSTRAINT zz_d_keel_nn CHECK (d IS NOT NULL) NOT VALID;',
    ])
    // On main the add was the run's last step, before the COMMIT.
    expect(add).toBeGreaterThan(commit)
  })

  it('its script applies to a database holding the first schema, keeping the rows', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(from)
      await conn.exec(
        "insert into other.zz (id, d) values (1, 'r'), (2, 'p'), (3, 's'); insert into zz values (10, 'a'), (11, 'b')",
      )
      psql(url, await script(url))
      expect(statementsOf(await script(url))).toEqual([])
      expect(await state(conn)).toEqual({
        other: [
          { id: 1, d: 'r' },
          { id: 2, d: 'p' },
          { id: 3, d: 's' },
        ],
        public: [
          { id: 10, d: 'a' },
          { id: 11, d: 'b' },
        ],
        sorted: [{ value: 'p' }, { value: 's' }, { value: 'r' }],
        check: [{ def: "CHECK (((d)::text <> 'y'::text))", convalidated: true }],
        nullable: [{ is_nullable: 'NO' }],
      })
    })
  })
})
