import { describe, expectTypeOf, test } from 'vitest'
import {
  type AnyColumn,
  bigint,
  bigserial,
  boolean,
  bytea,
  date,
  enumType,
  index,
  integer,
  json,
  jsonb,
  type NewRow,
  native,
  numeric,
  type Row,
  serial,
  sql,
  table,
  text,
  timestamp,
  uuid,
  varchar,
} from './index.js'

const timestamps = {
  createdAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
}
const status = enumType('status', ['draft', 'published'])
const users = table('users', {
  id: bigint().primaryKey().generatedAlwaysAsIdentity(),
  email: varchar(255).notNull().unique(),
  name: varchar(255),
  fullName: text().renamedFrom('name2'),
  ...timestamps,
})
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
  (t) => [index().on(t.authorId), index().on(t.status, t.createdAt.desc())],
  { casing: 'snake_case' },
)

interface Settings {
  readonly theme: 'dark' | 'light'
}

const everything = table('everything', {
  small: integer().notNull(),
  big: bigint({ mode: 'bigint' }).notNull(),
  bigNumber: bigint('big_number', { mode: 'number' }),
  counter: serial(),
  bigCounter: bigserial({ mode: 'bigint' }),
  byDefault: integer().generatedByDefaultAsIdentity(),
  price: numeric(10, 2).notNull(),
  flag: boolean().notNull().default(false),
  day: date(),
  dayAsDate: date({ mode: 'date' }),
  at: timestamp({ mode: 'string' }),
  blob: bytea(),
  anyJson: json(),
  settings: jsonb<Settings>().notNull(),
  typed: jsonb().$type<readonly string[]>(),
  ip: native<string>('inet'),
  key: uuid().primaryKey().defaultRandom(),
  doubled: integer().generatedAlwaysAs(sql`small * 2`),
  mood: status().array().notNull(),
})

describe('Row', () => {
  test('nullable columns are T | null; timestamps are Date; enums are unions', () => {
    expectTypeOf<Row<typeof users>>().toEqualTypeOf<{
      id: number
      email: string
      name: string | null
      fullName: string | null
      createdAt: Date
      updatedAt: Date
    }>()
    expectTypeOf<Row<typeof posts>>().toEqualTypeOf<{
      id: number
      authorId: number
      status: 'draft' | 'published'
      tags: string[] | null
      createdAt: Date
      updatedAt: Date
    }>()
  })

  test('every type family', () => {
    expectTypeOf<Row<typeof everything>>().toEqualTypeOf<{
      small: number
      big: bigint
      bigNumber: number | null
      counter: number
      bigCounter: bigint
      byDefault: number
      price: string
      flag: boolean
      day: string | null
      dayAsDate: Date | null
      at: string | null
      blob: Uint8Array | null
      anyJson: unknown
      settings: Settings
      typed: readonly string[] | null
      ip: string | null
      key: string
      doubled: number | null
      mood: ('draft' | 'published')[]
    }>()
  })
})

describe('NewRow', () => {
  test('defaults, identity and nullable columns are optional; always-generated columns are absent', () => {
    expectTypeOf<NewRow<typeof users>>().toEqualTypeOf<{
      email: string
      name?: string | null
      fullName?: string | null
      createdAt?: Date
      updatedAt?: Date
    }>()
    expectTypeOf<NewRow<typeof posts>>().toEqualTypeOf<{
      authorId: number
      status?: 'draft' | 'published'
      tags?: string[] | null
      createdAt?: Date
      updatedAt?: Date
    }>()
  })

  test('serial and by-default identity are optional; generatedAlwaysAs is absent', () => {
    expectTypeOf<NewRow<typeof everything>>().toEqualTypeOf<{
      small: number
      big: bigint
      bigNumber?: number | null
      counter?: number
      bigCounter?: bigint
      byDefault?: number
      price: string
      flag?: boolean
      day?: string | null
      dayAsDate?: Date | null
      at?: string | null
      blob?: Uint8Array | null
      anyJson?: unknown
      settings: Settings
      typed?: readonly string[] | null
      ip?: string | null
      key?: string
      mood: ('draft' | 'published')[]
    }>()
  })
})

describe('builder typing', () => {
  test('defaults are checked against the column type', () => {
    status().default('published')
    // @ts-expect-error not a value of the enum
    status().default('archived')
    // @ts-expect-error a number column
    integer().default('1')
    integer().default(sql`1 + 1`)
    timestamp().default(new Date())
    jsonb<Settings>().default({ theme: 'dark' })
  })

  test('extras see the columns by key', () => {
    table('t', { userId: integer() }, (t) => {
      expectTypeOf(t.userId.$info.data).toEqualTypeOf<number>()
      // @ts-expect-error no such column
      t.nope
      return []
    })
  })

  test('a self-reference compiles with an AnyColumn annotation', () => {
    const tree = table('tree', {
      id: integer().primaryKey(),
      parentId: integer().references((): AnyColumn => tree.id),
    })
    expectTypeOf<Row<typeof tree>>().toEqualTypeOf<{ id: number; parentId: number | null }>()
  })

  test('enum objects expose their values as a tuple', () => {
    expectTypeOf(status.values).toEqualTypeOf<readonly ['draft', 'published']>()
  })
})
