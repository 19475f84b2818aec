import { describe, expect, it } from 'vitest'
import type { ColumnType } from '../../schema/model.js'
import { canonicalMysqlType, parseMysqlType, renderMysqlType } from './type.js'

describe('MySQL column types', () => {
  it.each<[string, ColumnType]>([
    ['int(11)', { kind: 'integer', bytes: 4 }],
    ['int(10) unsigned', { kind: 'integer', bytes: 4, unsigned: true }],
    ['bigint(20)', { kind: 'integer', bytes: 8 }],
    ['smallint(5) unsigned', { kind: 'integer', bytes: 2, unsigned: true }],
    ['tinyint(1)', { kind: 'boolean' }],
    ['tinyint(4)', { kind: 'native', sql: 'tinyint' }],
    ['tinyint(3) unsigned', { kind: 'native', sql: 'tinyint unsigned' }],
    ['mediumint(8) unsigned', { kind: 'native', sql: 'mediumint unsigned' }],
    ['decimal(12,2)', { kind: 'decimal', precision: 12, scale: 2 }],
    ['varchar(40)', { kind: 'text', length: 40 }],
    ['char(3)', { kind: 'text', length: 3, fixed: true }],
    ['text', { kind: 'text' }],
    ['longtext', { kind: 'native', sql: 'longtext' }],
    ['datetime(3)', { kind: 'timestamp', withTimeZone: false, precision: 3 }],
    ['timestamp', { kind: 'timestamp', withTimeZone: true }],
    ['year(4)', { kind: 'native', sql: 'year' }],
    ["enum('G','PG-13')", { kind: 'native', sql: "enum('G','PG-13')" }],
    ["set('Trailers','Commentaries')", { kind: 'native', sql: "set('Trailers','Commentaries')" }],
    ['float', { kind: 'float', bytes: 4 }],
    ['double', { kind: 'float', bytes: 8 }],
    ['uuid', { kind: 'uuid' }],
    ['blob', { kind: 'bytes' }],
    ['point', { kind: 'native', sql: 'point' }],
  ])('%s reads as the model type, and renders back to the same type', (sql, type) => {
    expect(parseMysqlType(sql)).toEqual(type)
    expect(parseMysqlType(renderMysqlType(type))).toEqual(type)
  })

  it('gives types from other dialects their MySQL form', () => {
    expect(canonicalMysqlType({ kind: 'jsonb' })).toEqual({ kind: 'json' })
    expect(canonicalMysqlType({ kind: 'decimal' })).toEqual({ kind: 'decimal', precision: 10, scale: 0 })
    expect(renderMysqlType({ kind: 'timestamp', withTimeZone: false })).toBe('datetime')
  })

  it('refuses types MySQL does not have', () => {
    expect(() => renderMysqlType({ kind: 'array', element: { kind: 'integer', bytes: 4 } })).toThrow(
      /UNSUPPORTED|no array/,
    )
  })
})
