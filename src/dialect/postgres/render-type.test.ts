import { describe, expect, it } from 'vitest'
import type { ColumnType } from '../../schema/model.js'
import { renderColumnType, renderSerialType } from './render-type.js'

describe('renderColumnType', () => {
  it.each<[ColumnType, string]>([
    [{ kind: 'integer', bytes: 2 }, 'smallint'],
    [{ kind: 'integer', bytes: 4 }, 'integer'],
    [{ kind: 'integer', bytes: 8 }, 'bigint'],
    [{ kind: 'decimal' }, 'numeric'],
    [{ kind: 'decimal', precision: 10 }, 'numeric(10)'],
    [{ kind: 'decimal', precision: 10, scale: 2 }, 'numeric(10,2)'],
    [{ kind: 'float', bytes: 4 }, 'real'],
    [{ kind: 'float', bytes: 8 }, 'double precision'],
    [{ kind: 'text' }, 'text'],
    [{ kind: 'text', length: 255 }, 'varchar(255)'],
    [{ kind: 'text', length: 2, fixed: true }, 'char(2)'],
    [{ kind: 'text', fixed: true }, 'char'],
    [{ kind: 'timestamp', withTimeZone: false }, 'timestamp'],
    [{ kind: 'timestamp', withTimeZone: true }, 'timestamp with time zone'],
    [{ kind: 'timestamp', withTimeZone: true, precision: 3 }, 'timestamp(3) with time zone'],
    [{ kind: 'time', withTimeZone: false, precision: 0 }, 'time(0)'],
    [{ kind: 'time', withTimeZone: true }, 'time with time zone'],
    [{ kind: 'interval' }, 'interval'],
    [{ kind: 'interval', precision: 2 }, 'interval(2)'],
    [{ kind: 'interval', fields: 'DAY TO SECOND', precision: 3 }, 'interval day to second(3)'],
    [{ kind: 'boolean' }, 'boolean'],
    [{ kind: 'date' }, 'date'],
    [{ kind: 'uuid' }, 'uuid'],
    [{ kind: 'bytes' }, 'bytea'],
    [{ kind: 'json' }, 'json'],
    [{ kind: 'jsonb' }, 'jsonb'],
    [{ kind: 'enum', enum: { schema: 'public', name: 'mood' } }, 'public.mood'],
    [{ kind: 'enum', enum: { schema: 'Sales', name: 'Status' } }, '"Sales"."Status"'],
    [{ kind: 'array', element: { kind: 'text' } }, 'text[]'],
    [{ kind: 'array', element: { kind: 'enum', enum: { schema: 'public', name: 'mood' } } }, 'public.mood[]'],
    [{ kind: 'array', element: { kind: 'array', element: { kind: 'integer', bytes: 4 } } }, 'integer[][]'],
    [{ kind: 'native', sql: 'public.citext' }, 'public.citext'],
    [{ kind: 'native', sql: 'tsvector' }, 'tsvector'],
  ])('%j → %s', (type, sql) => {
    expect(renderColumnType(type)).toBe(sql)
  })

  it('refuses what PostgreSQL cannot store', () => {
    expect(() => renderColumnType({ kind: 'integer', bytes: 4, unsigned: true })).toThrow(/unsigned/)
    expect(() => renderColumnType({ kind: 'interval', fields: 'fortnight' })).toThrow(/interval fields/)
  })
})

describe('renderSerialType', () => {
  it('names the serial pseudo-type of each integer size', () => {
    expect(renderSerialType({ kind: 'integer', bytes: 2 })).toBe('smallserial')
    expect(renderSerialType({ kind: 'integer', bytes: 4 })).toBe('serial')
    expect(renderSerialType({ kind: 'integer', bytes: 8 })).toBe('bigserial')
    expect(() => renderSerialType({ kind: 'text' })).toThrow(/integer/)
  })
})
