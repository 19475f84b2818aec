import { describe, expect, test } from 'vitest'
import type { Column } from '../model.js'
import type { ColumnBuilder } from './column-builder.js'
import {
  bigint,
  bigserial,
  boolean,
  bytea,
  char,
  collect,
  customType,
  date,
  decimal,
  doublePrecision,
  enumType,
  integer,
  interval,
  json,
  jsonb,
  native,
  numeric,
  real,
  type Sql,
  serial,
  smallint,
  smallserial,
  sql,
  table,
  text,
  time,
  timestamp,
  timestamptz,
  uuid,
  varchar,
} from './index.js'

/** The model column a single builder produces, in a table of its own. */
function columnOf(builder: ColumnBuilder): Column {
  const t = table('t', { c: builder })
  const column = collect({ t }).tables[0]?.columns[0]
  if (column === undefined) throw new Error('no column')
  return column
}

describe('column types', () => {
  test.each([
    ['smallint', smallint(), { kind: 'integer', bytes: 2 }],
    ['integer', integer(), { kind: 'integer', bytes: 4 }],
    ['bigint', bigint(), { kind: 'integer', bytes: 8 }],
    ['bigint mode bigint', bigint({ mode: 'bigint' }), { kind: 'integer', bytes: 8 }],
    ['numeric', numeric(), { kind: 'decimal' }],
    ['numeric(10)', numeric(10), { kind: 'decimal', precision: 10 }],
    ['numeric(10, 0)', numeric(10, 0), { kind: 'decimal', precision: 10 }],
    ['numeric(10, 2)', numeric(10, 2), { kind: 'decimal', precision: 10, scale: 2 }],
    [
      'numeric({ precision, scale })',
      numeric({ precision: 12, scale: 4 }),
      { kind: 'decimal', precision: 12, scale: 4 },
    ],
    ['decimal(5, 1)', decimal(5, 1), { kind: 'decimal', precision: 5, scale: 1 }],
    ['real', real(), { kind: 'float', bytes: 4 }],
    ['doublePrecision', doublePrecision(), { kind: 'float', bytes: 8 }],
    ['text', text(), { kind: 'text' }],
    ['varchar(255)', varchar(255), { kind: 'text', length: 255 }],
    ['varchar({ length })', varchar({ length: 40 }), { kind: 'text', length: 40 }],
    ['varchar()', varchar(), { kind: 'native', sql: 'character varying' }],
    ['char(2)', char(2), { kind: 'text', length: 2, fixed: true }],
    ['char()', char(), { kind: 'text', length: 1, fixed: true }],
    ['boolean', boolean(), { kind: 'boolean' }],
    ['date', date(), { kind: 'date' }],
    ['time', time(), { kind: 'time', withTimeZone: false }],
    ['time with tz(3)', time({ withTimeZone: true, precision: 3 }), { kind: 'time', withTimeZone: true, precision: 3 }],
    ['timestamp', timestamp(), { kind: 'timestamp', withTimeZone: false }],
    [
      'timestamp(0) tz',
      timestamp({ withTimeZone: true, precision: 0 }),
      { kind: 'timestamp', withTimeZone: true, precision: 0 },
    ],
    ['timestamptz', timestamptz(), { kind: 'timestamp', withTimeZone: true }],
    ['timestamptz(3)', timestamptz({ precision: 3 }), { kind: 'timestamp', withTimeZone: true, precision: 3 }],
    ['interval', interval(), { kind: 'interval' }],
    [
      'interval fields',
      interval({ fields: 'DAY  TO second', precision: 2 }),
      { kind: 'interval', fields: 'day to second', precision: 2 },
    ],
    ['uuid', uuid(), { kind: 'uuid' }],
    ['bytea', bytea(), { kind: 'bytes' }],
    ['json', json(), { kind: 'json' }],
    ['jsonb', jsonb<{ a: number }>(), { kind: 'jsonb' }],
    ['native', native('inet'), { kind: 'native', sql: 'inet' }],
    ['customType', customType<string>('citext')(), { kind: 'native', sql: 'citext' }],
    ['text[]', text().array(), { kind: 'array', element: { kind: 'text' } }],
    [
      'integer[][]',
      integer().array().array(),
      { kind: 'array', element: { kind: 'array', element: { kind: 'integer', bytes: 4 } } },
    ],
  ] as const)('%s', (_label, builder, type) => {
    expect(columnOf(builder as ColumnBuilder)).toEqual({ name: 'c', type, nullable: true })
  })

  test('serial types are NOT NULL integers flagged serial, with no default', () => {
    expect(columnOf(serial())).toEqual({
      name: 'c',
      type: { kind: 'integer', bytes: 4 },
      nullable: false,
      serial: true,
    })
    expect(columnOf(smallserial())).toMatchObject({ type: { kind: 'integer', bytes: 2 }, serial: true })
    expect(columnOf(bigserial({ mode: 'bigint' }))).toMatchObject({ type: { kind: 'integer', bytes: 8 }, serial: true })
  })

  test('an enum column refers to the enum by name', () => {
    const mood = enumType('mood', ['sad', 'happy'], { schema: 'app' })
    const t = table('t', { m: mood(), ms: mood().array() })
    expect(collect({ mood, t }).tables[0]?.columns).toEqual([
      { name: 'm', type: { kind: 'enum', enum: { schema: 'app', name: 'mood' } }, nullable: true },
      {
        name: 'ms',
        type: { kind: 'array', element: { kind: 'enum', enum: { schema: 'app', name: 'mood' } } },
        nullable: true,
      },
    ])
  })

  test('every builder takes an explicit SQL name first', () => {
    const mood = enumType('mood', ['a'])
    const t = table(
      't',
      {
        a: smallint('a_1'),
        b: integer('b_1'),
        c: bigint('c_1', { mode: 'number' }),
        d: serial('d_1'),
        e: bigserial('e_1'),
        f: smallserial('f_1'),
        g: numeric('g_1', 8, 2),
        h: numeric('h_1', { precision: 8 }),
        i: real('i_1'),
        j: doublePrecision('j_1'),
        k: text('k_1'),
        l: varchar('l_1', 10),
        m: char('m_1', { length: 3 }),
        n: boolean('n_1'),
        o: date('o_1'),
        p: time('p_1', { precision: 1 }),
        q: timestamp('q_1', { withTimeZone: true }),
        r: timestamptz('r_1'),
        s: interval('s_1'),
        u: uuid('u_1'),
        v: bytea('v_1'),
        w: json('w_1'),
        x: jsonb('x_1'),
        y: native('y_1', 'inet'),
        z: mood('z_1'),
        zz: customType<string>('citext')('zz_1'),
      },
      { casing: 'snake_case' },
    )
    const model = collect({ mood, t }).tables[0]
    expect(model?.columns.map((c) => c.name)).toEqual(Object.keys(t).map((key) => `${key}_1`))
    expect(model?.columns.find((c) => c.name === 'g_1')?.type).toEqual({ kind: 'decimal', precision: 8, scale: 2 })
    expect(model?.columns.find((c) => c.name === 'l_1')?.type).toEqual({ kind: 'text', length: 10 })
    expect(model?.columns.find((c) => c.name === 'q_1')?.type).toEqual({ kind: 'timestamp', withTimeZone: true })
    expect(model?.columns.find((c) => c.name === 'y_1')?.type).toEqual({ kind: 'native', sql: 'inet' })
  })

  test('numeric with a scale but no precision is refused', () => {
    expect(() => numeric({ scale: 2 })).toThrow(/scale needs a precision/)
  })
})

describe('column modifiers', () => {
  test('notNull', () => {
    expect(columnOf(text().notNull())).toEqual({ name: 'c', type: { kind: 'text' }, nullable: false })
  })

  test('defaults: literals become SQL literal text', () => {
    expect(columnOf(text().default("it's")).default).toEqual({ kind: 'sql', sql: "'it''s'" })
    expect(columnOf(integer().default(42)).default).toEqual({ kind: 'sql', sql: '42' })
    expect(columnOf(integer().default(-1)).default).toEqual({ kind: 'sql', sql: '-1' })
    expect(columnOf(doublePrecision().default(1.5)).default).toEqual({ kind: 'sql', sql: '1.5' })
    expect(columnOf(boolean().default(false)).default).toEqual({ kind: 'sql', sql: 'false' })
    expect(columnOf(bigint({ mode: 'bigint' }).default(9007199254740993n)).default).toEqual({
      kind: 'sql',
      sql: '9007199254740993',
    })
    expect(columnOf(text().array().default([])).default).toEqual({ kind: 'sql', sql: "'{}'" })
    expect(columnOf(text().array().default(['a', 'b c'])).default).toEqual({ kind: 'sql', sql: `'{a,"b c"}'` })
    expect(columnOf(jsonb().default({ a: 1 })).default).toEqual({ kind: 'sql', sql: `'{"a":1}'` })
    expect(columnOf(jsonb().default('x')).default).toEqual({ kind: 'sql', sql: `'"x"'` })
    expect(columnOf(timestamp().default(new Date('2024-01-02T03:04:05Z'))).default).toEqual({
      kind: 'sql',
      sql: "'2024-01-02T03:04:05.000Z'",
    })
  })

  test('a null default is no default', () => {
    expect(columnOf(text().default(null))).toEqual({ name: 'c', type: { kind: 'text' }, nullable: true })
  })

  test('sql defaults, defaultNow and defaultRandom', () => {
    expect(columnOf(text().default(sql`current_user`)).default).toEqual({ kind: 'sql', sql: 'current_user' })
    expect(columnOf(timestamptz().defaultNow()).default).toEqual({ kind: 'sql', sql: 'now()' })
    expect(columnOf(uuid().defaultRandom()).default).toEqual({ kind: 'sql', sql: 'gen_random_uuid()' })
    expect(columnOf(integer().default(sql`${7} * 2`)).default).toEqual({ kind: 'sql', sql: '7 * 2' })
  })

  test('identity columns are NOT NULL and carry options only when they differ from the defaults', () => {
    expect(columnOf(bigint().generatedAlwaysAsIdentity())).toEqual({
      name: 'c',
      type: { kind: 'integer', bytes: 8 },
      nullable: false,
      identity: { always: true },
    })
    expect(columnOf(integer().generatedByDefaultAsIdentity()).identity).toEqual({ always: false })
    expect(columnOf(integer().generatedByDefaultAsIdentity({ start: 1, increment: 1, cache: 1 })).identity).toEqual({
      always: false,
    })
    expect(columnOf(integer().generatedAlwaysAsIdentity({ start: 100, increment: 5, cache: 10 })).identity).toEqual({
      always: true,
      sequence: { start: 100, increment: 5, cache: 10 },
    })
    expect(columnOf(smallint().generatedAlwaysAsIdentity({ max: 32767, min: 1, cycle: true })).identity).toEqual({
      always: true,
      sequence: { cycle: true },
    })
    expect(columnOf(integer().generatedAlwaysAsIdentity({ increment: -1 })).identity).toEqual({
      always: true,
      sequence: { increment: -1 },
    })
  })

  test('generated columns', () => {
    const t = table('t', {
      a: integer(),
      // A thunk that reads the table being defined needs a return type annotation (TypeScript's circularity rule).
      b: integer().generatedAlwaysAs((): Sql => sql`${t.a} * 2`),
      c: text().generatedAlwaysAs(sql`'x'`, { stored: false }),
    })
    expect(collect({ t }).tables[0]?.columns.slice(1)).toEqual([
      { name: 'b', type: { kind: 'integer', bytes: 4 }, nullable: true, generated: { expr: '"a" * 2', stored: true } },
      { name: 'c', type: { kind: 'text' }, nullable: true, generated: { expr: "'x'", stored: false } },
    ])
  })

  test('collate, comment and renamedFrom', () => {
    expect(columnOf(text().collate('C').comment('the code').renamedFrom('old_code'))).toEqual({
      name: 'c',
      type: { kind: 'text' },
      nullable: true,
      collation: 'C',
      comment: 'the code',
      renamedFrom: 'old_code',
    })
  })

  test('backfill: a hint rendered as SQL over the table columns', () => {
    expect(columnOf(text().notNull().backfill(sql`first_name || ' ' || last_name`))).toEqual({
      name: 'c',
      type: { kind: 'text' },
      nullable: false,
      backfill: "first_name || ' ' || last_name",
    })
  })

  test('$type changes only the TypeScript type', () => {
    expect(columnOf(jsonb().$type<{ a: 1 }>().notNull())).toEqual({
      name: 'c',
      type: { kind: 'jsonb' },
      nullable: false,
    })
  })

  test('builders are immutable: a shared builder is not changed by a modifier', () => {
    const base = text()
    const strict = base.notNull()
    expect(base.config.notNull).toBe(false)
    expect(strict.config.notNull).toBe(true)
  })

  test.each([
    ['a default and identity', integer().default(1).generatedAlwaysAsIdentity(), /both a default and identity/],
    ['serial and a default', serial().default(1), /both a default and serial/],
    [
      'a default and generatedAlwaysAs',
      integer().default(1).generatedAlwaysAs(sql`1`),
      /both a default and generatedAlwaysAs/,
    ],
    ['identity on text', text().generatedAlwaysAsIdentity(), /must be smallint, integer or bigint/],
  ] as const)('refuses %s', (_label, builder, message) => {
    expect(() => columnOf(builder as ColumnBuilder)).toThrow(message)
  })
})
