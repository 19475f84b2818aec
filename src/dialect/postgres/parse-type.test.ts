import { describe, expect, it } from 'vitest'
import type { ColumnType } from '../../schema/model.js'
import { columnTypeFromCatalog, parsePostgresType } from './parse-type.js'
import type { CatalogTypeRow } from './queries/catalog-type.js'

describe('parsePostgresType', () => {
  const cases: readonly (readonly [string, ColumnType])[] = [
    // format_type spellings
    ['smallint', { kind: 'integer', bytes: 2 }],
    ['integer', { kind: 'integer', bytes: 4 }],
    ['bigint', { kind: 'integer', bytes: 8 }],
    ['numeric', { kind: 'decimal' }],
    ['numeric(10,2)', { kind: 'decimal', precision: 10, scale: 2 }],
    ['numeric(10,0)', { kind: 'decimal', precision: 10, scale: 0 }],
    ['real', { kind: 'float', bytes: 4 }],
    ['double precision', { kind: 'float', bytes: 8 }],
    ['text', { kind: 'text' }],
    ['character varying(255)', { kind: 'text', length: 255 }],
    ['character varying', { kind: 'native', sql: 'character varying' }],
    ['character(3)', { kind: 'text', length: 3, fixed: true }],
    ['bpchar', { kind: 'native', sql: 'bpchar' }],
    ['timestamp without time zone', { kind: 'timestamp', withTimeZone: false }],
    ['timestamp(3) with time zone', { kind: 'timestamp', withTimeZone: true, precision: 3 }],
    ['time without time zone', { kind: 'time', withTimeZone: false }],
    ['time(2) with time zone', { kind: 'time', withTimeZone: true, precision: 2 }],
    ['interval', { kind: 'interval' }],
    ['interval(3)', { kind: 'interval', precision: 3 }],
    ['interval day to second(3)', { kind: 'interval', fields: 'DAY TO SECOND', precision: 3 }],
    ['interval year to month', { kind: 'interval', fields: 'YEAR TO MONTH' }],
    ['boolean', { kind: 'boolean' }],
    ['date', { kind: 'date' }],
    ['uuid', { kind: 'uuid' }],
    ['bytea', { kind: 'bytes' }],
    ['json', { kind: 'json' }],
    ['jsonb', { kind: 'jsonb' }],
    ['integer[]', { kind: 'array', element: { kind: 'integer', bytes: 4 } }],
    ['character varying(20)[]', { kind: 'array', element: { kind: 'text', length: 20 } }],
    ['bit(3)', { kind: 'native', sql: 'bit(3)' }],
    ['"char"', { kind: 'native', sql: '"char"' }],
    ['app.mood', { kind: 'native', sql: 'app.mood' }],
    // aliases people write
    ['INT4', { kind: 'integer', bytes: 4 }],
    ['int', { kind: 'integer', bytes: 4 }],
    ['int8', { kind: 'integer', bytes: 8 }],
    ['float4', { kind: 'float', bytes: 4 }],
    ['float', { kind: 'float', bytes: 8 }],
    ['float(24)', { kind: 'float', bytes: 4 }],
    ['float(25)', { kind: 'float', bytes: 8 }],
    ['decimal(12, 4)', { kind: 'decimal', precision: 12, scale: 4 }],
    ['varchar(20)', { kind: 'text', length: 20 }],
    ['VARCHAR', { kind: 'native', sql: 'character varying' }],
    ['char', { kind: 'text', length: 1, fixed: true }],
    ['char(5)', { kind: 'text', length: 5, fixed: true }],
    ['timestamptz', { kind: 'timestamp', withTimeZone: true }],
    ['timestamptz(3)', { kind: 'timestamp', withTimeZone: true, precision: 3 }],
    ['timestamp', { kind: 'timestamp', withTimeZone: false }],
    ['timetz', { kind: 'time', withTimeZone: true }],
    ['bool', { kind: 'boolean' }],
    ['int[][]', { kind: 'array', element: { kind: 'integer', bytes: 4 } }],
    ['text ARRAY', { kind: 'array', element: { kind: 'text' } }],
    ['  double   precision ', { kind: 'float', bytes: 8 }],
  ]
  it.each(cases)('%s', (sql, expected) => {
    expect(parsePostgresType(sql)).toEqual(expected)
  })
})

describe('columnTypeFromCatalog', () => {
  // As the catalog queries return them: no schema for pg_catalog, a name for enums, a qualified name for domains.
  const base: CatalogTypeRow = {
    is_array: false,
    base_sql: 'integer',
    base_typtype: 'b',
    base_schema: null,
    base_name: null,
    base_qualified: null,
  }

  it('parses built-in types from format_type', () => {
    expect(columnTypeFromCatalog(base)).toEqual({ kind: 'integer', bytes: 4 })
    expect(columnTypeFromCatalog({ ...base, is_array: true })).toEqual({
      kind: 'array',
      element: { kind: 'integer', bytes: 4 },
    })
  })

  it('recognises enums and enum arrays by typtype, whatever format_type prints', () => {
    const mood = { ...base, base_typtype: 'e', base_schema: 'public', base_name: 'mood', base_sql: 'mood' }
    expect(columnTypeFromCatalog(mood)).toEqual({ kind: 'enum', enum: { schema: 'public', name: 'mood' } })
    expect(columnTypeFromCatalog({ ...mood, is_array: true })).toEqual({
      kind: 'array',
      element: { kind: 'enum', enum: { schema: 'public', name: 'mood' } },
    })
  })

  it('names domains in full', () => {
    const domain = {
      ...base,
      base_typtype: 'd',
      base_schema: 'public',
      base_sql: 'posint',
      base_qualified: 'public.posint',
    }
    expect(columnTypeFromCatalog(domain)).toEqual({ kind: 'native', sql: 'public.posint' })
  })

  it('keeps a user type that shares a built-in name native', () => {
    const uuid = { ...base, base_schema: 'public', base_sql: 'public.uuid' }
    expect(columnTypeFromCatalog(uuid)).toEqual({ kind: 'native', sql: 'public.uuid' })
  })

  it('tells apart types that format_type prints alike', () => {
    // A domain named like a built-in type, beside that type: the same text, two types.
    const text = { ...base, base_sql: 'text' }
    const domain = { ...text, base_typtype: 'd', base_schema: 'public', base_qualified: 'public.text' }
    expect(columnTypeFromCatalog(text)).toEqual({ kind: 'text' })
    expect(columnTypeFromCatalog(domain)).toEqual({ kind: 'native', sql: 'public.text' })
    expect(columnTypeFromCatalog(text)).toEqual({ kind: 'text' })
  })
})
