import { describe, expect, test } from 'vitest'
import { figureIndexColname } from './figure-index-colname.js'
import { check, collect, index, integer, serial, sql, table, text, unique, view } from './index.js'
import { chooseIndexColumnNames, makeObjectName, NamespaceNames, nameAddition } from './naming.js'

// Expected names below were produced by PostgreSQL 15 for the same declarations without names.

describe('makeObjectName', () => {
  test('joins the parts with underscores', () => {
    expect(makeObjectName('users', 'email', 'key')).toBe('users_email_key')
    expect(makeObjectName('users', undefined, 'pkey')).toBe('users_pkey')
  })

  test('truncates the longer part first so that the name fits 63 bytes', () => {
    const table = 'a'.repeat(63)
    const column = 'b'.repeat(38)
    expect(makeObjectName(table, undefined, 'pkey')).toBe(`${'a'.repeat(58)}_pkey`)
    expect(makeObjectName(table, column, 'key')).toBe(`${'a'.repeat(29)}_${'b'.repeat(29)}_key`)
    expect(makeObjectName(table, 'id', 'seq')).toBe(`${'a'.repeat(56)}_id_seq`)
    expect(makeObjectName('short', 'c'.repeat(80), 'idx')).toBe(`short_${'c'.repeat(53)}_idx`)
    expect(Buffer.byteLength(makeObjectName('x'.repeat(100), 'y'.repeat(100), 'fkey'))).toBe(63)
  })

  test('never splits a multibyte character', () => {
    expect(makeObjectName('é'.repeat(30), 'x', 'key')).toBe(`${'é'.repeat(28)}_x_key`)
    expect(makeObjectName('é'.repeat(31), 'x', 'key')).toBe(`${'é'.repeat(28)}_x_key`)
  })
})

describe('index column names', () => {
  test('repeated names get numbers', () => {
    expect(chooseIndexColumnNames(['a', 'a', 'lower', 'upper', 'lower'])).toEqual([
      'a',
      'a1',
      'lower',
      'upper',
      'lower1',
    ])
  })

  test('the addition stops once it reaches NAMEDATALEN', () => {
    const long = Array.from({ length: 10 }, (_, i) => `column_${i}_${'x'.repeat(10)}`)
    const addition = nameAddition(long)
    expect(addition.startsWith('column_0_xxxxxxxxxx_column_1_xxxxxxxxxx_column_2_xxxxxxxxxx_column_3')).toBe(true)
    expect(addition.split('_').length).toBeLessThan(long.length * 3)
  })

  test.each([
    ['lower(email)', 'lower'],
    ['LOWER(Email)', 'lower'],
    ['pg_catalog.lower(c)', 'lower'],
    ['(lower(c))', 'lower'],
    ['c || b', 'expr'],
    ['(c || b)', 'expr'],
    ["d->>'k'", 'expr'],
    ["(d->>'k')::int", 'int4'],
    ['ts::date', 'ts'],
    ["'x'::text", 'text'],
    ['(a + 1)::integer', 'int4'],
    ['a::double precision', 'a'],
    ['(a + 1)::double precision', 'float8'],
    ['(a + 1)::character varying(10)', 'varchar'],
    ['(a + 1)::timestamp(3) with time zone', 'timestamptz'],
    ["date_trunc('day', ts)", 'date_trunc'],
    ['cast(c as text)', 'c'],
    ['cast(a + 1 as bigint)', 'int8'],
    ['extract(year from ts)', 'extract'],
    ["upper(trim(both ' ' from c))", 'upper'],
    ["trim(leading ' ' from c)", 'ltrim'],
    ["trim(trailing ' ' from c)", 'rtrim'],
    ['trim(c)', 'btrim'],
    ['substring(c from 1 for 2)', 'substring'],
    ['c collate "C"', 'c'],
    ["interval '1 day' + ts", 'expr'],
    ["case when a > 0 then 'p' else 'n' end", 'case'],
    // Observed on PostgreSQL 15: a CASE takes the name of a strongly named ELSE result, and is weak under a cast.
    ['case when a > 0 then b else lower(b) end', 'lower'],
    ['case when a > 0 then 1 else a end', 'a'],
    ['case when a > 0 then b end', 'case'],
    ['(case when a > 0 then 1 else 2 end)::bigint', 'int8'],
    ["case a when 1 then b else (case when a > 2 then b else 'x' end) end", 'case'],
    ['coalesce(c, b)', 'coalesce'],
    ['"MixedCase"', 'MixedCase'],
    ['a[1]', 'a'],
    ['1', 'expr'],
    ['true', 'expr'],
    ['-a', 'expr'],
    ['lower(a) || b', 'expr'],
    ['/* comment */ lower(a) -- trailing', 'lower'],
  ])('%s is named %s', (expr, name) => {
    expect(figureIndexColname(expr)).toBe(name)
  })
})

describe('default names in a schema', () => {
  test('collisions get a pass number, as ChooseRelationName and ChooseConstraintName do', () => {
    const t2 = table('t2', { id: integer(), b: integer() }, (t) => [
      check('t2_b_key', sql`${t.b} > 0`),
      unique().on(t.b),
      index().on(t.b),
      index().on(t.b),
    ])
    const model = collect({ t2 }).tables[0]
    expect(model?.uniques.map((u) => u.name)).toEqual(['t2_b_key1'])
    expect(model?.indexes.map((i) => i.name)).toEqual(['t2_b_idx', 't2_b_idx1'])
  })

  test('explicit names are reserved before defaults are chosen', () => {
    const t = table('t', { c: text() }, (t) => [index().on(t.c), index('t_c_idx').on(t.c)])
    expect(collect({ t }).tables[0]?.indexes.map((i) => i.name)).toEqual(['t_c_idx1', 't_c_idx'])
  })

  test('serial sequences take their names before indexes', () => {
    const t = table('t', { c: serial(), d: text() }, (t) => [index().on(t.c), index('t_d_idx').on(t.d)])
    const other = table('t_c', { x: integer() }, { schema: 'other' })
    // `t_c_seq` is taken by the serial column's sequence; the unnamed index is still t_c_idx.
    expect(collect({ t, other }).tables[0]?.indexes.map((i) => i.name)).toEqual(['t_c_idx', 't_d_idx'])
  })

  test('relations and constraints are counted per namespace', () => {
    const a = table('t', { c: text() }, (t) => [index().on(t.c)], { schema: 'one' })
    const b = table('t', { c: text() }, (t) => [index().on(t.c)], { schema: 'two' })
    expect(collect({ a, b }).tables.map((t) => t.indexes[0]?.name)).toEqual(['t_c_idx', 't_c_idx'])
  })

  test('an index named like a table collides, and a default name skips a table name', () => {
    const users = table('users', { email: text() }, (t) => [index('accounts').on(t.email)])
    const accounts = table('accounts', { id: integer() })
    expect(() => collect({ users, accounts })).toThrow(
      /table users: index accounts has the same name as another table, view, sequence or index/,
    )
    const clash = table('users_email_key', { id: integer() })
    const people = table('users', { email: text().unique() })
    expect(collect({ clash, people }).tables[1]?.uniques[0]?.name).toBe('users_email_key1')
  })

  test('materialized view indexes are named after the view', () => {
    const totals = view('totals', 'select 1 as n', { materialized: true, indexes: [index().on('n')] })
    expect(collect({ totals }).views[0]?.indexes.map((i) => i.name)).toEqual(['totals_n_idx'])
  })

  test('NamespaceNames treats index-backed constraints as both relations and constraints', () => {
    const names = new NamespaceNames()
    names.reserveConstraint('t_a_key')
    expect(names.chooseRelationName('t', 'a', 'idx', false)).toBe('t_a_idx')
    expect(names.chooseRelationName('t', 'a', 'key', true)).toBe('t_a_key1')
    expect(names.chooseConstraintName('t', 'a', 'key')).toBe('t_a_key2')
  })
})
