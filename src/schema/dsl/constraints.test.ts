import { describe, expect, test } from 'vitest'
import type { Table } from '../model.js'
import {
  type AnyColumn,
  bigint,
  check,
  collect,
  foreignKey,
  index,
  integer,
  primaryKey,
  sql,
  table,
  text,
  timestamptz,
  unique,
  uniqueIndex,
  uuid,
} from './index.js'

function only(exports: Record<string, unknown>, name: string): Table {
  const found = collect(exports).tables.find((t) => t.name.name === name)
  if (found === undefined) throw new Error(`no table ${name}`)
  return found
}

describe('primary keys', () => {
  test('a column-level primary key is the table primary key and makes the column NOT NULL', () => {
    const t = table('items', { id: integer().primaryKey(), name: text() })
    const model = only({ t }, 'items')
    expect(model.primaryKey).toEqual({ name: 'items_pkey', columns: ['id'] })
    expect(model.columns[0]?.nullable).toBe(false)
  })

  test('a named column-level primary key', () => {
    const t = table('items', { id: integer().primaryKey('items_pk') })
    expect(only({ t }, 'items').primaryKey).toEqual({ name: 'items_pk', columns: ['id'] })
  })

  test('a composite primary key makes its columns NOT NULL, as PostgreSQL does', () => {
    const t = table(
      'post_tags',
      { postId: bigint(), tagId: bigint(), note: text() },
      (t) => [primaryKey(t.postId, t.tagId)],
      {
        casing: 'snake_case',
      },
    )
    const model = only({ t }, 'post_tags')
    expect(model.primaryKey).toEqual({ name: 'post_tags_pkey', columns: ['post_id', 'tag_id'] })
    expect(model.columns.map((c) => c.nullable)).toEqual([false, false, true])
  })

  test('primaryKey({ name, columns })', () => {
    const t = table('pt', { a: integer(), b: integer() }, (t) => [primaryKey({ name: 'pt_pk', columns: [t.b, t.a] })])
    expect(only({ t }, 'pt').primaryKey).toEqual({ name: 'pt_pk', columns: ['b', 'a'] })
  })

  test('two primary keys are refused', () => {
    const t = table('two', { a: integer().primaryKey(), b: integer().primaryKey() })
    expect(() => collect({ t })).toThrow(/table two: more than one primary key \(a.primaryKey\(\), b.primaryKey\(\)\)/)
    const u = table('two', { a: integer().primaryKey(), b: integer() }, (t) => [primaryKey(t.a, t.b)])
    expect(() => collect({ u })).toThrow(/more than one primary key/)
  })
})

describe('unique constraints', () => {
  test('column-level uniques come first, then table-level ones, named <table>_<columns>_key', () => {
    const t = table(
      'accounts',
      {
        email: text().unique(),
        handle: text().unique('accounts_handle_uq', { nullsNotDistinct: true }),
        org: integer(),
      },
      (t) => [
        unique().on(t.org, t.email).nullsNotDistinct(),
        unique('acc_org').on(t.org).deferrable(true).comment('one'),
      ],
    )
    expect(only({ t }, 'accounts').uniques).toEqual([
      { name: 'accounts_email_key', columns: ['email'] },
      { name: 'accounts_handle_uq', columns: ['handle'], nullsNotDistinct: true },
      { name: 'accounts_org_email_key', columns: ['org', 'email'], nullsNotDistinct: true },
      { name: 'acc_org', columns: ['org'], deferrable: { initiallyDeferred: true }, comment: 'one' },
    ])
  })

  test('a unique that repeats the primary key or another unique is refused', () => {
    const t = table('r', { id: integer().primaryKey().unique() })
    expect(() => collect({ t })).toThrow(/unique \(id\) repeats the primary key/)
    const u = table('r', { a: integer().unique() }, (t) => [unique().on(t.a)])
    expect(() => collect({ u })).toThrow(/repeats/)
  })

  test('a unique without columns is refused', () => {
    const t = table('r', { a: integer() }, () => [unique('x')])
    expect(() => collect({ t })).toThrow(/table r: unique\(\) needs columns/)
  })
})

describe('indexes', () => {
  const events = table(
    'events',
    {
      id: bigint().primaryKey(),
      kind: text().notNull(),
      payload: text(),
      createdAt: timestamptz().notNull(),
      email: text(),
    },
    (t) => [
      index().on(t.kind),
      index('events_recent').on(t.kind, t.createdAt.desc()).where(sql`${t.kind} <> 'debug'`),
      index().on(t.createdAt.desc().nullsLast(), t.kind.asc().nullsFirst()),
      index().on(t.createdAt.desc().nullsFirst()),
      index().using('gin', sql`to_tsvector('english', ${t.payload})`),
      index().on(t.email.op('text_pattern_ops').collate('C')).include(t.payload),
      uniqueIndex().on(sql`lower(${t.email})`).nullsNotDistinct(),
      index().on(t.kind).using('BTREE').comment('by kind'),
      index().using('brin').on('createdAt'),
    ],
    { casing: 'snake_case' },
  )
  const model = only({ events }, 'events')

  test('parts, order, nulls, operator class, collation, method, predicate, include', () => {
    expect(model.indexes).toEqual([
      { name: 'events_kind_idx', parts: [{ column: 'kind' }], unique: false, include: [] },
      {
        name: 'events_recent',
        parts: [{ column: 'kind' }, { column: 'created_at', descending: true }],
        unique: false,
        where: `"kind" <> 'debug'`,
        include: [],
      },
      {
        name: 'events_created_at_kind_idx',
        parts: [
          { column: 'created_at', descending: true, nullsFirst: false },
          { column: 'kind', nullsFirst: true },
        ],
        unique: false,
        include: [],
      },
      {
        name: 'events_created_at_idx',
        parts: [{ column: 'created_at', descending: true }],
        unique: false,
        include: [],
      },
      {
        name: 'events_to_tsvector_idx',
        parts: [{ expr: `to_tsvector('english', "payload")` }],
        unique: false,
        method: 'gin',
        include: [],
      },
      {
        name: 'events_email_payload_idx',
        parts: [{ column: 'email', opclass: 'text_pattern_ops', collation: 'C' }],
        unique: false,
        include: ['payload'],
      },
      {
        name: 'events_lower_idx',
        parts: [{ expr: 'lower("email")' }],
        unique: true,
        include: [],
        nullsNotDistinct: true,
      },
      { name: 'events_kind_idx1', parts: [{ column: 'kind' }], unique: false, include: [], comment: 'by kind' },
      { name: 'events_created_at_idx1', parts: [{ column: 'created_at' }], unique: false, method: 'brin', include: [] },
    ])
  })

  test('an index without parts, or on another table, is refused', () => {
    const a = table('a', { x: integer() }, () => [index('a_x')])
    expect(() => collect({ a })).toThrow(/table a: index a_x has no key columns/)
    const b = table('b', { y: integer() }, () => [index().on(a.x)])
    expect(() => collect({ a: table('a2', { x: integer() }), b })).toThrow(/uses a.x, a column of another table/)
    const c = table('c', { y: integer() }, () => [index().on('nope')])
    expect(() => collect({ c })).toThrow(/names column "nope"/)
  })

  test('extras may be an object, as older Drizzle code returns', () => {
    const t = table('o', { a: integer() }, (t) => ({ byA: index().on(t.a) }))
    expect(only({ t }, 'o').indexes.map((i) => i.name)).toEqual(['o_a_idx'])
  })

  test('extras must be indexes or constraints', () => {
    const t = table('o', { a: integer() }, () => [42 as never])
    expect(() => collect({ t })).toThrow(/not an index, unique, primaryKey, foreignKey or check/)
  })
})

describe('foreign keys', () => {
  const orgs = table('orgs', { id: uuid().primaryKey(), code: text().notNull() }, (t) => [unique().on(t.id, t.code)])
  const members = table(
    'members',
    {
      id: bigint().primaryKey(),
      orgId: uuid()
        .notNull()
        .references(() => orgs.id, { onDelete: 'cascade', onUpdate: 'RESTRICT' }),
      orgCode: text(),
      managerId: bigint().references((): AnyColumn => members.id, { name: 'members_manager', onDelete: 'set null' }),
    },
    (t) => [
      foreignKey({
        columns: [t.orgId, t.orgCode],
        foreignColumns: [orgs.id, orgs.code],
        deferrable: { initiallyDeferred: true },
        matchFull: true,
      }),
      foreignKey({
        name: 'members_self',
        columns: [t.managerId],
        foreignColumns: [t.id],
        onDelete: 'set default',
        deferrable: true,
      }),
    ],
    { casing: 'snake_case' },
  )

  test('column-level references first, then table-level foreign keys, named <table>_<columns>_fkey', () => {
    expect(only({ orgs, members }, 'members').foreignKeys).toEqual([
      {
        name: 'members_org_id_fkey',
        columns: ['org_id'],
        references: { table: { name: 'orgs' }, columns: ['id'] },
        onDelete: 'CASCADE',
        onUpdate: 'RESTRICT',
      },
      {
        name: 'members_manager',
        columns: ['manager_id'],
        references: { table: { name: 'members' }, columns: ['id'] },
        onDelete: 'SET NULL',
        onUpdate: 'NO ACTION',
      },
      {
        name: 'members_org_id_org_code_fkey',
        columns: ['org_id', 'org_code'],
        references: { table: { name: 'orgs' }, columns: ['id', 'code'] },
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
        matchFull: true,
        deferrable: { initiallyDeferred: true },
      },
      {
        name: 'members_self',
        columns: ['manager_id'],
        references: { table: { name: 'members' }, columns: ['id'] },
        onDelete: 'SET DEFAULT',
        onUpdate: 'NO ACTION',
        deferrable: { initiallyDeferred: false },
      },
    ])
  })

  test('a reference to a table the module does not export is refused', () => {
    expect(() => collect({ members })).toThrow(
      /table members: column orgId references: table orgs is used but not exported from the schema module; export it/,
    )
  })

  test('the referenced table uses its own casing', () => {
    const parent = table('parent', { parentKey: integer().primaryKey() }, { casing: 'snake_case' })
    const child = table('child', { parentKey: integer().references(() => parent.parentKey) })
    expect(only({ parent, child }, 'child').foreignKeys[0]).toMatchObject({
      name: 'child_parentKey_fkey',
      columns: ['parentKey'],
      references: { table: { name: 'parent' }, columns: ['parent_key'] },
    })
  })

  test('mismatched column lists are refused', () => {
    const t = table('t', { a: integer(), b: integer() }, (t) => [
      foreignKey({ columns: [t.a, t.b], foreignColumns: [orgs.id] }),
    ])
    expect(() => collect({ orgs, t })).toThrow(/needs as many foreignColumns as columns/)
    const u = table('u', { a: integer(), b: integer() }, (t) => [
      foreignKey({ columns: [t.a, t.b], foreignColumns: [orgs.id, t.a] }),
    ])
    expect(() => collect({ orgs, u })).toThrow(/must all belong to one table/)
  })
})

describe('checks', () => {
  test('named as PostgreSQL names them: one mentioned column gives <table>_<column>_check', () => {
    const t = table('products', { price: integer(), discount: integer(), code: text() }, (t) => [
      check(sql`${t.price} > 0`),
      check(sql`price > discount`),
      check(sql`discount >= 0 and discount < 100`),
      check('code_format', sql`${t.code} ~ '^[A-Z]+$'`, { noInherit: true }),
      check(sql`length(code::text) > 2`),
      check(sql`price > 0`),
    ])
    expect(only({ t }, 'products').checks).toEqual([
      { name: 'products_price_check', expr: '"price" > 0' },
      { name: 'products_check', expr: 'price > discount' },
      { name: 'products_discount_check', expr: 'discount >= 0 and discount < 100' },
      { name: 'code_format', expr: `"code" ~ '^[A-Z]+$'`, noInherit: true },
      { name: 'products_code_check', expr: 'length(code::text) > 2' },
      { name: 'products_price_check1', expr: 'price > 0' },
    ])
  })

  test('a quoted camelCase column is matched exactly', () => {
    const t = table('q', { maxSize: integer() }, (t) => [check(sql`${t.maxSize} < 10`)])
    expect(only({ t }, 'q').checks).toEqual([{ name: 'q_maxSize_check', expr: '"maxSize" < 10' }])
  })

  test('two explicit constraints with one name are refused', () => {
    const t = table('q', { a: integer() }, (t) => [check('same', sql`${t.a} > 0`), check('same', sql`${t.a} < 9`)])
    expect(() => collect({ t })).toThrow(/table q: two constraints are named same/)
  })
})
