import { describe, expect, test } from 'vitest'
import type { Schema } from '../model.js'
import {
  bigint,
  collect,
  defineSchema,
  enumType,
  extension,
  index,
  integer,
  namespace,
  native,
  schema as ns,
  primaryKey,
  sequence,
  sql,
  table,
  text,
  timestamp,
  unique,
  varchar,
  view,
} from './index.js'

const timestamps = {
  createdAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
}
const status = enumType('status', ['draft', 'published'])
const users = table(
  'users',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    email: varchar(255).notNull().unique(),
    name: varchar(255),
    fullName: text().renamedFrom('name2'),
    ...timestamps,
  },
  (t) => [index('idx_users_name').on(t.name), unique().on(t.email, t.name).nullsNotDistinct()],
)
const posts = table(
  'posts',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    authorId: bigint()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: status().notNull().default('draft'),
    tags: text().array(),
    ...timestamps,
  },
  (t) => [index().on(t.authorId), index().on(t.status, t.createdAt.desc()).where(sql`status = 'published'`)],
  { casing: 'snake_case' },
)

const tz = { kind: 'timestamp', withTimeZone: true } as const
const now = { kind: 'sql', sql: 'now()' } as const
const int8 = { kind: 'integer', bytes: 8 } as const

describe('collect', () => {
  test('the documented example becomes the expected model', () => {
    const expected: Schema = {
      namespaces: [],
      extensions: [],
      enums: [{ name: { name: 'status' }, values: ['draft', 'published'] }],
      sequences: [],
      tables: [
        {
          name: { name: 'users' },
          columns: [
            { name: 'id', type: int8, nullable: false, identity: { always: true } },
            { name: 'email', type: { kind: 'text', length: 255 }, nullable: false },
            { name: 'name', type: { kind: 'text', length: 255 }, nullable: true },
            { name: 'fullName', type: { kind: 'text' }, nullable: true, renamedFrom: 'name2' },
            { name: 'createdAt', type: tz, nullable: false, default: now },
            { name: 'updatedAt', type: tz, nullable: false, default: now },
          ],
          primaryKey: { name: 'users_pkey', columns: ['id'] },
          uniques: [
            { name: 'users_email_key', columns: ['email'] },
            { name: 'users_email_name_key', columns: ['email', 'name'], nullsNotDistinct: true },
          ],
          indexes: [{ name: 'idx_users_name', parts: [{ column: 'name' }], unique: false, include: [] }],
          foreignKeys: [],
          checks: [],
        },
        {
          name: { name: 'posts' },
          columns: [
            { name: 'id', type: int8, nullable: false, identity: { always: true } },
            { name: 'author_id', type: int8, nullable: false },
            {
              name: 'status',
              type: { kind: 'enum', enum: { name: 'status' } },
              nullable: false,
              default: { kind: 'sql', sql: "'draft'" },
            },
            { name: 'tags', type: { kind: 'array', element: { kind: 'text' } }, nullable: true },
            { name: 'created_at', type: tz, nullable: false, default: now },
            { name: 'updated_at', type: tz, nullable: false, default: now },
          ],
          primaryKey: { name: 'posts_pkey', columns: ['id'] },
          uniques: [],
          indexes: [
            { name: 'posts_author_id_idx', parts: [{ column: 'author_id' }], unique: false, include: [] },
            {
              name: 'posts_status_created_at_idx',
              parts: [{ column: 'status' }, { column: 'created_at', descending: true }],
              unique: false,
              where: "status = 'published'",
              include: [],
            },
          ],
          foreignKeys: [
            {
              name: 'posts_author_id_fkey',
              columns: ['author_id'],
              references: { table: { name: 'users' }, columns: ['id'] },
              onDelete: 'CASCADE',
              onUpdate: 'NO ACTION',
            },
          ],
          checks: [],
        },
      ],
      views: [],
    }
    expect(collect({ status, users, posts })).toEqual(expected)
  })

  test('non-DSL exports, shared column sets and the same object exported twice are ignored', () => {
    const model = collect({ timestamps, helper: () => 1, answer: 42, users, alias: users, status })
    expect(model.tables.map((t) => t.name.name)).toEqual(['users'])
    expect(model.enums).toHaveLength(1)
  })

  test('output is plain data: no undefined fields anywhere', () => {
    const json = JSON.parse(JSON.stringify(collect({ status, users, posts })))
    expect(collect({ status, users, posts })).toStrictEqual(json)
  })
})

describe('casing', () => {
  const plain = table('plain', { userId: integer(), createdAt: text('CreatedAt'), htmlURL: text() })
  const names = (schema: Schema): string[] => schema.tables.flatMap((t) => t.columns.map((c) => c.name))

  test('keys are kept by default', () => {
    expect(names(collect({ plain }))).toEqual(['userId', 'CreatedAt', 'htmlURL'])
  })

  test('collect({ casing }) applies to tables without their own casing; explicit names win', () => {
    expect(names(collect({ plain }, { casing: 'snake_case' }))).toEqual(['user_id', 'CreatedAt', 'html_url'])
  })

  test('defineSchema casing applies to its members, exported as default or schema', () => {
    expect(names(collect({ default: defineSchema({ casing: 'snake_case', plain }) }))).toEqual([
      'user_id',
      'CreatedAt',
      'html_url',
    ])
    expect(names(collect({ plain, schema: defineSchema({ casing: 'snake_case', plain }) }))).toEqual([
      'user_id',
      'CreatedAt',
      'html_url',
    ])
  })

  test('a table option beats defineSchema, which beats collect options', () => {
    const kept = table('kept', { someKey: integer() }, { casing: 'preserve' })
    const aggregate = defineSchema({ casing: 'preserve', plain, kept })
    expect(names(collect({ aggregate }, { casing: 'snake_case' }))).toEqual([
      'userId',
      'CreatedAt',
      'htmlURL',
      'someKey',
    ])
    const snake = defineSchema({ casing: 'snake_case', kept })
    expect(names(collect({ snake }))).toEqual(['someKey'])
  })

  test('renamedFrom follows the casing', () => {
    const t = table(
      'r',
      { fullName: text().renamedFrom('displayName'), other: text('x').renamedFrom('oldX') },
      {
        casing: 'snake_case',
      },
    )
    expect(collect({ t }).tables[0]?.columns.map((c) => c.renamedFrom)).toEqual(['display_name', 'oldX'])
  })

  test('two keys that map to one column name are refused', () => {
    const t = table('dup', { fullName: text(), full_name: text() }, { casing: 'snake_case' })
    expect(() => collect({ t })).toThrow(/table dup: columns "fullName" and "full_name" are both named "full_name"/)
  })

  test('plain objects exported as default are read as groups (jiti interop)', () => {
    const moduleNamespace = Object.assign(Object.create(null), { plain })
    expect(names(collect({ default: moduleNamespace }))).toEqual(['userId', 'CreatedAt', 'htmlURL'])
    expect(collect({ other: { plain } }).tables).toEqual([])
  })
})

describe('namespaces, enums, sequences, extensions, views', () => {
  test('objects in namespaces; namespaces used are listed, public never', () => {
    const billing = ns('billing', { comment: 'money' })
    const currency = billing.enum('currency', ['EUR', 'USD'])
    const invoices = billing.table(
      'invoices',
      { id: integer().primaryKey(), currency: currency().notNull() },
      undefined,
      {
        comment: 'bills',
      },
    )
    const audit = table('log', { id: integer() }, { schema: 'audit', unlogged: true, renamedFrom: 'old_log' })
    const pub = namespace('public').table('p', { id: integer() })
    const model = collect({ billing, currency, invoices, audit, pub })
    expect(model.namespaces).toEqual([{ name: 'billing', comment: 'money' }, { name: 'audit' }])
    expect(model.enums).toEqual([{ name: { schema: 'billing', name: 'currency' }, values: ['EUR', 'USD'] }])
    expect(model.tables[0]).toMatchObject({ name: { schema: 'billing', name: 'invoices' }, comment: 'bills' })
    expect(model.tables[0]?.columns[1]?.type).toEqual({ kind: 'enum', enum: { schema: 'billing', name: 'currency' } })
    expect(model.tables[1]).toMatchObject({
      name: { schema: 'audit', name: 'log' },
      renamedFrom: { schema: 'audit', name: 'old_log' },
      ext: { postgres: { unlogged: true } },
    })
    expect(model.tables[2]?.name).toEqual({ schema: 'public', name: 'p' })
  })

  test('enum values are validated', () => {
    expect(() => enumType('e', ['a', 'a'])).toThrow(/value "a" is listed twice/)
    expect(() => enumType('e', ['x'.repeat(64)])).toThrow(/at most 63 bytes/)
    expect(enumType('e', ['', 'x']).values).toEqual(['', 'x'])
    expect(enumType('e', ['x', 'y']).values).toEqual(['x', 'y'])
    expect(enumType('e', ['x']).enumName).toBe('e')
  })

  test('sequences leave default options out', () => {
    const orders = table('orders', { number: bigint() })
    const plainSeq = sequence('plain_seq', { increment: 1, start: 1, cache: 1, cycle: false })
    const custom = sequence('custom_seq', {
      type: 'integer',
      start: 1000,
      increment: 10,
      cache: 20,
      cycle: true,
      comment: 'c',
    })
    const down = sequence('down_seq', { increment: -1, schema: 'app' })
    const owned = sequence('owned_seq', { ownedBy: () => orders.number, type: 'smallint', max: 32767 })
    expect(collect({ orders, plainSeq, custom, down, owned }).sequences).toEqual([
      { name: { name: 'plain_seq' } },
      {
        name: { name: 'custom_seq' },
        type: { kind: 'integer', bytes: 4 },
        start: 1000,
        increment: 10,
        cache: 20,
        cycle: true,
        comment: 'c',
      },
      { name: { schema: 'app', name: 'down_seq' }, increment: -1 },
      {
        name: { name: 'owned_seq' },
        type: { kind: 'integer', bytes: 2 },
        ownedBy: { table: { name: 'orders' }, column: 'number' },
      },
    ])
  })

  test('a sequence interpolated in sql renders as its quoted name', () => {
    const counter = sequence('counter', { schema: 'app' })
    const t = table('t', { n: bigint().default(sql`nextval(${counter})`) })
    expect(collect({ counter, t }).tables[0]?.columns[0]?.default).toEqual({
      kind: 'sql',
      sql: `nextval('"app"."counter"')`,
    })
  })

  test('extensions are deduplicated; the default namespace is left out', () => {
    const a = extension('citext')
    const b = extension('pgcrypto', { schema: 'public', version: '1.3' })
    const c = extension('postgis', { schema: 'gis' })
    expect(collect({ a, b, c, again: extension('citext') }).extensions).toEqual([
      { name: 'citext' },
      { name: 'pgcrypto', version: '1.3' },
      { name: 'postgis', schema: 'gis' },
    ])
    expect(collect({ c }).namespaces).toEqual([{ name: 'gis' }])
    expect(() => collect({ a, other: extension('citext', { version: '2' }) })).toThrow(/declared twice/)
  })

  test('views: definition text, dependencies, materialized indexes', () => {
    const published = view(
      'published_posts',
      sql`select ${posts.id}, ${posts.status} from ${posts} where ${posts.status} = ${'published'};`,
    )
    const counts = view(
      'user_counts',
      'SELECT u.id, count(*) AS n FROM users u JOIN published_posts p ON true GROUP BY u.id',
      {
        materialized: true,
        comment: 'counts',
        indexes: [index().on('id'), index('user_counts_n').on(sql`(n * 2)`).using('hash')],
      },
    )
    const listed = view('listed', 'select 1', { dependsOn: [users], schema: 'reports', renamedFrom: 'old_listed' })
    const model = collect({ status, users, posts, published, counts, listed })
    expect(model.views).toEqual([
      {
        name: { name: 'published_posts' },
        definition: `select "posts"."id", "posts"."status" from "posts" where "posts"."status" = 'published'`,
        materialized: false,
        dependsOn: [{ name: 'posts' }],
        indexes: [],
      },
      {
        name: { name: 'user_counts' },
        definition: 'SELECT u.id, count(*) AS n FROM users u JOIN published_posts p ON true GROUP BY u.id',
        materialized: true,
        dependsOn: [{ name: 'users' }, { name: 'published_posts' }],
        indexes: [
          { name: 'user_counts_id_idx', parts: [{ column: 'id' }], unique: false, include: [] },
          { name: 'user_counts_n', parts: [{ expr: '(n * 2)' }], unique: false, method: 'hash', include: [] },
        ],
        comment: 'counts',
      },
      {
        name: { schema: 'reports', name: 'listed' },
        definition: 'select 1',
        materialized: false,
        dependsOn: [{ name: 'users' }],
        indexes: [],
        renamedFrom: { schema: 'reports', name: 'old_listed' },
      },
    ])
    expect(model.namespaces).toEqual([{ name: 'reports' }])
  })

  test('indexes on a plain view are refused', () => {
    const v = view('v', 'select 1 as n', { indexes: [index().on('n')] })
    expect(() => collect({ v })).toThrow(/view v: only a materialized view can have indexes/)
  })
})

describe("SQLite's declarations", () => {
  test('.nullable() keeps a key or identity column without NOT NULL; .notNull() after it restores it', () => {
    const artist = table('artist', {
      id: native('INTEGER').primaryKey().generatedByDefaultAsIdentity().nullable(),
      code: native('TEXT').nullable().notNull(),
    })
    const pair = table('pair', { a: native('TEXT').nullable(), b: native('TEXT') }, (t) => [primaryKey(t.a, t.b)])
    const columns = collect({ artist, pair }).tables.flatMap((t) => t.columns.map((c) => [c.name, c.nullable]))
    expect(columns).toEqual([
      ['id', true],
      ['code', false],
      ['a', true],
      ['b', false],
    ])
  })

  test("identity on a native type is the database's to judge; options on it are refused", () => {
    const ok = table('t', { id: native('INTEGER').primaryKey().generatedByDefaultAsIdentity() })
    expect(collect({ ok }).tables[0]?.columns[0]?.identity).toEqual({ always: false })
    const withOptions = table('t', { id: native('INTEGER').generatedByDefaultAsIdentity({ start: 10 }) })
    expect(() => collect({ withOptions })).toThrow(/identity options need the column's integer type/)
    expect(() => collect({ t: table('t', { id: text().generatedByDefaultAsIdentity() }) })).toThrow(
      /must be smallint, integer or bigint/,
    )
  })

  test("withoutRowid and strict become the table's SQLite options", () => {
    const tag = table('tag', { name: native('TEXT').primaryKey() }, { withoutRowid: true, strict: true })
    const plain = table('plain', { id: integer() }, { withoutRowid: false })
    const [first, second] = collect({ tag, plain }).tables
    expect(first?.ext).toEqual({ sqlite: { withoutRowid: true, strict: true } })
    expect(second?.ext).toBeUndefined()
  })
})
