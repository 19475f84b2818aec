/**
 * Views whose queries qualify their columns beside an enum recreated in place, on PostgreSQL: the recreation converts
 * public.zz.d; other.v joins other.zz to other.yy and is changed, other.w joins public.zz (it reads the converted
 * column) to other.yy; an index of orders named yy is dropped concurrently. The server prints both queries as
 * `SELECT zz.d, yy.e FROM (… zz JOIN other.yy ON …)`, and step-ties-names.ts took the qualifiers zz and yy for names
 * alone, relations of any schema: other.v read public.zz.d and joined the run, and the drop of public.yy was tied to
 * the views' drops before the conversion and to their creates after it, so keel diff refused the pair
 * (error[SPLIT_RUN]). The parser now tells a qualifier from a relation (step-ties-qualifiers.ts): the concurrent drop
 * goes before the run, other.w (a real dependency: the conversion fails while it stands) stays in its transaction, the
 * script applies through the real psql client, rows kept, and a new diff finds nothing to do.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { withDatabase } from '../support/databases.js'
import { diffProject, psql, statementsOf } from './split-run-script.js'

const tables = `create schema other;
create table other.zz (id bigint primary key, d text not null);
create table other.yy (id bigint primary key, e text);
create table orders (id bigint primary key, b smallint not null);
`
const w = 'create view other.w as select zz.d, yy.e from public.zz join other.yy on yy.id = zz.id;\n'
const from = `${tables}create type state as enum ('p', 'r', 's');
create table zz (id bigint primary key, d state not null default 'p');
create view other.v as select zz.d, yy.e from other.zz join other.yy on yy.id = zz.id;
${w}create index yy on orders (b);
`
const to = `${tables}create type state as enum ('p', 's', 'r');
create table zz (id bigint primary key, d state not null default 'p');
create view other.v as select zz.d, yy.e, zz.id from other.zz join other.yy on yy.id = zz.id;
${w}`

/** keel diff's script from a source (`from.sql`, or a database URL) to to.sql, which must succeed. */
const script = diffProject('keel-split-run-views-', from, to)

/** What the database holds: the rows through both views, the enum's order, and which index named yy is left. */
async function state(conn: Connection): Promise<unknown> {
  return {
    v: await conn.query('select d, e, id::int from other.v order by id'),
    w: await conn.query('select d::text, e from other.w order by e collate "C"'),
    // The new order: s before r (by the column, not its text).
    sorted: await conn.query('select d::text as value from public.zz order by d'),
    indexes: await conn.query("select schemaname from pg_indexes where indexname = 'yy'"),
  }
}

describe('views that qualify their columns beside an enum recreated in place (PostgreSQL)', () => {
  it('keel diff writes the concurrent drop before the run, and the view over the converted column inside it', async () => {
    const statements = statementsOf(await script('from.sql'))
    const [begin, commit] = [statements.indexOf('BEGIN;'), statements.indexOf('COMMIT;')]
    const convert = statements.findIndex((s) => s.startsWith('ALTER TABLE public.zz ALTER COLUMN d TYPE '))
    expect(statements.slice(0, 2)).toEqual(['DROP INDEX CONCURRENTLY public.yy;', 'BEGIN;'])
    expect(statements.filter((s) => s === 'BEGIN;')).toHaveLength(1)
    expect(statements.at(-1)).toBe('COMMIT;')
    // other.w reads public.zz.d: dropped in the transaction before the conversion, made again after it.
    const dropW = statements.indexOf('DROP VIEW other.w;')
    const createW = statements.indexOf('CREATE VIEW other.w AS')
    expect(begin < dropW && dropW < convert && convert < createW && createW < commit).toBe(true)
  })

  it('its script applies to a database holding the first schema, keeping the rows', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(from)
      await conn.exec(`insert into zz values (1, 'r'), (2, 'p'), (3, 's');
insert into other.zz values (1, 'x'), (2, 'y');
insert into other.yy values (1, 'one'), (2, 'two'), (3, 'three');
insert into orders values (10, 3)`)
      // From the live database, its views as PostgreSQL 15 prints them: `SELECT zz.d, yy.e FROM (other.zz JOIN ...`.
      psql(url, await script(url))
      expect(statementsOf(await script(url))).toEqual([])
      expect(await state(conn)).toEqual({
        v: [
          { d: 'x', e: 'one', id: 1 },
          { d: 'y', e: 'two', id: 2 },
        ],
        w: [
          { d: 'r', e: 'one' },
          { d: 's', e: 'three' },
          { d: 'p', e: 'two' },
        ],
        sorted: [{ value: 'p' }, { value: 's' }, { value: 'r' }],
        indexes: [],
      })
    })
  })
})
