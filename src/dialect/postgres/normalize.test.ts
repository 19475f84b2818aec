import { describe, expect, it } from 'vitest'
import type { Column, Index, Schema, Table } from '../../schema/model.js'
import { emptySchema } from '../../schema/model.js'
import { normalizePostgres, normalizeType } from './normalize.js'

const idColumn: Column = { name: 'id', type: { kind: 'integer', bytes: 4 }, nullable: false }

function table(name: string, extras: Partial<Table> = {}): Table {
  return { name: { name }, columns: [idColumn], uniques: [], indexes: [], foreignKeys: [], checks: [], ...extras }
}

function index(name: string, extras: Partial<Index> = {}): Index {
  return { name, parts: [{ column: 'id' }], unique: false, include: [], ...extras }
}

describe('normalizePostgres', () => {
  it('fills the default namespace into every qualified name', () => {
    const schema: Schema = {
      ...emptySchema,
      enums: [{ name: { name: 'mood' }, values: ['a'] }],
      sequences: [{ name: { name: 's' }, ownedBy: { table: { name: 't' }, column: 'id' } }],
      tables: [
        table('t', {
          columns: [
            idColumn,
            { name: 'm', type: { kind: 'enum', enum: { name: 'mood' } }, nullable: true },
            { name: 'ms', type: { kind: 'array', element: { kind: 'enum', enum: { name: 'mood' } } }, nullable: true },
          ],
          foreignKeys: [
            {
              name: 'fk',
              columns: ['id'],
              references: { table: { name: 'u' }, columns: ['id'] },
              onDelete: 'NO ACTION',
              onUpdate: 'NO ACTION',
            },
          ],
        }),
      ],
      views: [
        { name: { name: 'v' }, definition: 'SELECT 1', materialized: false, dependsOn: [{ name: 't' }], indexes: [] },
      ],
    }
    const result = normalizePostgres(schema)
    const mood = { schema: 'public', name: 'mood' }
    expect(result.enums[0]?.name).toEqual(mood)
    expect(result.sequences[0]).toEqual({
      name: { schema: 'public', name: 's' },
      ownedBy: { table: { schema: 'public', name: 't' }, column: 'id' },
    })
    const t = result.tables[0]
    expect(t?.name).toEqual({ schema: 'public', name: 't' })
    expect(t?.columns[1]?.type).toEqual({ kind: 'enum', enum: mood })
    expect(t?.columns[2]?.type).toEqual({ kind: 'array', element: { kind: 'enum', enum: mood } })
    expect(t?.foreignKeys[0]?.references.table).toEqual({ schema: 'public', name: 'u' })
    expect(result.views[0]?.name).toEqual({ schema: 'public', name: 'v' })
    expect(result.views[0]?.dependsOn).toEqual([{ schema: 'public', name: 't' }])
  })

  it('sorts unordered lists by name, and keeps columns and index parts in order', () => {
    const columns: Column[] = [
      { name: 'b', type: { kind: 'text' }, nullable: true },
      { name: 'a', type: { kind: 'text' }, nullable: true },
    ]
    const schema: Schema = {
      ...emptySchema,
      namespaces: [{ name: 'z' }, { name: 'a' }, { name: 'public' }],
      extensions: [{ name: 'pgcrypto' }, { name: 'citext', schema: 'public' }],
      tables: [
        table('b'),
        table('a', {
          columns,
          indexes: [index('i2', { parts: [{ column: 'b' }, { column: 'a' }] }), index('i1')],
          uniques: [
            { name: 'u2', columns: ['b'] },
            { name: 'u1', columns: ['a'] },
          ],
          checks: [
            { name: 'c2', expr: '(a > b)' },
            { name: 'c1', expr: '(a < b)' },
          ],
        }),
        { ...table('c'), name: { schema: 'app', name: 'c' } },
      ],
    }
    const result = normalizePostgres(schema)
    expect(result.namespaces).toEqual([{ name: 'a' }, { name: 'z' }])
    expect(result.extensions).toEqual([{ name: 'citext' }, { name: 'pgcrypto' }])
    expect(result.tables.map((t) => `${t.name.schema}.${t.name.name}`)).toEqual(['app.c', 'public.a', 'public.b'])
    const a = result.tables[1]
    expect(a?.columns.map((c) => c.name)).toEqual(['b', 'a'])
    expect(a?.indexes.map((i) => i.name)).toEqual(['i1', 'i2'])
    expect(a?.indexes[1]?.parts).toEqual([{ column: 'b' }, { column: 'a' }])
    expect(a?.uniques.map((u) => u.name)).toEqual(['u1', 'u2'])
    expect(a?.checks.map((c) => c.name)).toEqual(['c1', 'c2'])
  })

  it('drops index fields that hold defaults', () => {
    const schema: Schema = {
      ...emptySchema,
      tables: [
        table('t', {
          indexes: [
            index('i', {
              method: 'BTREE',
              where: '',
              parts: [
                { column: 'a', nullsFirst: false },
                { column: 'b', descending: true, nullsFirst: true },
                { column: 'c', descending: true, nullsFirst: false },
                { column: 'd', nullsFirst: true, opclass: '', collation: '' },
              ],
            }),
            index('g', { method: 'GIN' }),
          ],
        }),
      ],
    }
    const [gin, btree] = normalizePostgres(schema).tables[0]?.indexes ?? []
    expect(gin?.method).toBe('gin')
    expect(btree).toEqual({
      name: 'i',
      unique: false,
      include: [],
      parts: [
        { column: 'a' },
        { column: 'b', descending: true },
        { column: 'c', descending: true, nullsFirst: false },
        { column: 'd', nullsFirst: true },
      ],
    })
  })

  it('drops sequence options that hold defaults for the sequence type and direction', () => {
    const schema: Schema = {
      ...emptySchema,
      sequences: [
        {
          name: { name: 'a' },
          type: { kind: 'integer', bytes: 8 },
          start: 1,
          increment: 1,
          min: 1,
          cache: 1,
          cycle: false,
        },
        { name: { name: 'b' }, type: { kind: 'integer', bytes: 4 }, max: 2147483647, start: 10, min: 10 },
        { name: { name: 'c' }, increment: -1, min: '-9223372036854775808', max: -1, start: -1 },
        { name: { name: 'd' }, max: '9223372036854775807', start: 5, cycle: true, cache: 20 },
      ],
    }
    expect(normalizePostgres(schema).sequences).toEqual([
      { name: { schema: 'public', name: 'a' } },
      { name: { schema: 'public', name: 'b' }, type: { kind: 'integer', bytes: 4 }, min: 10 },
      { name: { schema: 'public', name: 'c' }, increment: -1 },
      { name: { schema: 'public', name: 'd' }, start: 5, cache: 20, cycle: true },
    ])
  })

  it('normalises identity options against the column type and states NOT NULL', () => {
    const column: Column = {
      name: 'id',
      type: { kind: 'native', sql: 'int2' },
      nullable: true,
      identity: { always: true, sequence: { type: { kind: 'integer', bytes: 2 }, max: 32767, start: 1, increment: 3 } },
    }
    const result = normalizePostgres({ ...emptySchema, tables: [table('t', { columns: [column] })] })
    expect(result.tables[0]?.columns[0]).toEqual({
      name: 'id',
      type: { kind: 'integer', bytes: 2 },
      nullable: false,
      identity: { always: true, sequence: { increment: 3 } },
    })
    const plain = normalizePostgres({
      ...emptySchema,
      tables: [table('t', { columns: [{ ...column, identity: { always: false, sequence: { max: 32767 } } }] })],
    })
    expect(plain.tables[0]?.columns[0]?.identity).toEqual({ always: false })
  })

  it('turns serial types into serial integer columns without default', () => {
    const columns: Column[] = [
      { name: 'a', type: { kind: 'native', sql: 'bigserial' }, nullable: true },
      {
        name: 'b',
        type: { kind: 'integer', bytes: 4 },
        nullable: true,
        serial: true,
        default: { kind: 'sql', sql: 'x' },
      },
      { name: 'c', type: { kind: 'native', sql: 'SMALLSERIAL' }, nullable: false },
    ]
    const result = normalizePostgres({ ...emptySchema, tables: [table('t', { columns })] })
    expect(result.tables[0]?.columns).toEqual([
      { name: 'a', type: { kind: 'integer', bytes: 8 }, nullable: false, serial: true },
      { name: 'b', type: { kind: 'integer', bytes: 4 }, nullable: false, serial: true },
      { name: 'c', type: { kind: 'integer', bytes: 2 }, nullable: false, serial: true },
    ])
  })

  it('makes primary key columns NOT NULL and drops empty comments, default collation, logged ext', () => {
    const columns: Column[] = [
      { name: 'id', type: { kind: 'text' }, nullable: true, comment: '', collation: 'default' },
      { name: 'x', type: { kind: 'text' }, nullable: true, collation: 'C' },
    ]
    const t = table('t', {
      columns,
      primaryKey: { name: 't_pkey', columns: ['id'] },
      comment: '',
      ext: { postgres: { unlogged: false } },
    })
    expect(normalizePostgres({ ...emptySchema, tables: [t] }).tables[0]).toEqual({
      name: { schema: 'public', name: 't' },
      columns: [
        { name: 'id', type: { kind: 'text' }, nullable: false },
        { name: 'x', type: { kind: 'text' }, nullable: true, collation: 'C' },
      ],
      primaryKey: { name: 't_pkey', columns: ['id'] },
      uniques: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
    })
    const unlogged = normalizePostgres({ ...emptySchema, tables: [{ ...t, ext: { postgres: { unlogged: true } } }] })
    expect(unlogged.tables[0]?.ext).toEqual({ postgres: { unlogged: true } })
  })

  it('trims view definitions and sorts and deduplicates their dependencies', () => {
    const schema: Schema = {
      ...emptySchema,
      views: [
        {
          name: { schema: 'app', name: 'v' },
          definition: ' SELECT id\n   FROM t;',
          materialized: true,
          dependsOn: [{ name: 't' }, { schema: 'app', name: 'b' }, { schema: 'public', name: 't' }],
          indexes: [index('v_b'), index('v_a', { method: 'btree' })],
        },
      ],
    }
    const [view] = normalizePostgres(schema).views
    expect(view?.definition).toBe('SELECT id\n   FROM t')
    expect(view?.dependsOn).toEqual([
      { schema: 'app', name: 'b' },
      { schema: 'public', name: 't' },
    ])
    expect(view?.indexes.map((i) => i.name)).toEqual(['v_a', 'v_b'])
    expect(view?.indexes[0]).toEqual(index('v_a'))
  })

  it('is idempotent', () => {
    const schema: Schema = {
      ...emptySchema,
      namespaces: [{ name: 'app', comment: 'x' }],
      sequences: [{ name: { name: 's' }, increment: -1, start: -1 }],
      tables: [
        table('t', { indexes: [index('i', { parts: [{ column: 'id', descending: true, nullsFirst: true }] })] }),
      ],
    }
    const once = normalizePostgres(schema)
    expect(normalizePostgres(once)).toEqual(once)
  })
})

describe('normalizeType', () => {
  it('resolves aliases and drops defaults', () => {
    expect(normalizeType({ kind: 'native', sql: 'timestamptz(6)' })).toEqual({ kind: 'timestamp', withTimeZone: true })
    expect(normalizeType({ kind: 'native', sql: 'numeric(10)' })).toEqual({ kind: 'decimal', precision: 10 })
    expect(normalizeType({ kind: 'decimal', precision: 10, scale: 0 })).toEqual({ kind: 'decimal', precision: 10 })
    expect(normalizeType({ kind: 'time', withTimeZone: false, precision: 6 })).toEqual({
      kind: 'time',
      withTimeZone: false,
    })
    expect(normalizeType({ kind: 'interval', fields: 'day  to second', precision: 6 })).toEqual({
      kind: 'interval',
      fields: 'DAY TO SECOND',
    })
    expect(normalizeType({ kind: 'text', fixed: true })).toEqual({ kind: 'text', length: 1, fixed: true })
    expect(normalizeType({ kind: 'native', sql: 'varchar(3)[]' })).toEqual({
      kind: 'array',
      element: { kind: 'text', length: 3 },
    })
    expect(normalizeType({ kind: 'array', element: { kind: 'array', element: { kind: 'uuid' } } })).toEqual({
      kind: 'array',
      element: { kind: 'uuid' },
    })
    expect(normalizeType({ kind: 'native', sql: 'inet' })).toEqual({ kind: 'native', sql: 'inet' })
  })
})
