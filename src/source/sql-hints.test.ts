import { describe, expect, it } from 'vitest'
import { readSqlRenameHints } from './sql-hints.js'

describe('readSqlRenameHints', () => {
  it('reads table and column hints, folding unquoted names', () => {
    const hints = readSqlRenameHints(`
create table app.Customers ( -- keel:renamed-from clients
  id int primary key,
  Full_Name text, -- keel:renamed-from name
  "Mixed" int -- keel:renamed-from "Old Mixed"
);
create table other (a int -- keel:renamed-from b
);`)
    expect(hints.tables).toEqual([{ table: { schema: 'app', name: 'customers' }, from: 'clients' }])
    expect(hints.columns).toEqual([
      { table: { schema: 'app', name: 'customers' }, column: 'full_name', from: 'name' },
      { table: { schema: 'app', name: 'customers' }, column: 'Mixed', from: 'Old Mixed' },
      { table: { name: 'other' }, column: 'a', from: 'b' },
    ])
  })

  it('ignores hints outside a table body', () => {
    expect(
      readSqlRenameHints('create index i on t (a); -- keel:renamed-from x\nselect 1; -- keel:renamed-from y'),
    ).toEqual({
      tables: [],
      columns: [],
      backfills: [],
    })
  })

  it('reads backfill hints: the rest of the line is the expression, beside a rename hint or not', () => {
    const hints = readSqlRenameHints(`
create table users (
  id int primary key,
  full_name text not null, -- keel:backfill first_name || ' ' || last_name
  "Email" text -- keel:renamed-from mail
);
create index i on users (id); -- keel:backfill nope`)
    expect(hints.backfills).toEqual([
      { table: { name: 'users' }, column: 'full_name', expr: "first_name || ' ' || last_name" },
    ])
    expect(hints.columns).toEqual([{ table: { name: 'users' }, column: 'Email', from: 'mail' }])
  })
})
