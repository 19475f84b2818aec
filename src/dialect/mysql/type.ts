import { KeelError } from '../../errors.js'
import type { ColumnType } from '../../schema/model.js'

/**
 * MySQL column types in the model's words, and back. Types the model has a kind for are read into it (so that a
 * schema declared for PostgreSQL or in TypeScript means the same thing here); the rest stay `native`, in the
 * server's spelling without display widths.
 *
 * Choices, each chosen so that parse(render(t)) is t:
 * - Display widths are dropped (`int(11)` → int): they never limit values and MySQL 8.0.19 stopped printing them.
 * - `tinyint(1)` is boolean: it is what `BOOLEAN` creates and what every MySQL driver reads as one. Any other
 *   tinyint (`tinyint(4)`, `tinyint unsigned`) stays `native: 'tinyint'`; so do mediumint and year.
 * - `datetime` is a timestamp without time zone; `timestamp` one with (it is stored in UTC and shown in the
 *   session's time zone, as PostgreSQL's timestamptz).
 * - `varchar(n)` and `char(n)` are text with a length; `text` is text without one; `blob` is bytes. The
 *   tiny/medium/long variants stay native.
 * - `json` is json (MariaDB stores it as longtext with a `json_valid` check; introspection reads it back as json).
 * - ENUM and SET are inline in MySQL, not named types: they stay native (`enum('a','b')`).
 */
export function parseMysqlType(columnType: string): ColumnType {
  const t = columnType.trim().replace(/\s+/g, ' ')
  const lower = t.toLowerCase()
  if (/^(enum|set)\(/.test(lower)) return { kind: 'native', sql: t.replace(/^(enum|set)/i, (m) => m.toLowerCase()) }
  const m = /^(double precision|character varying|[a-z]+)(?:\((\d+)(?:,(\d+))?\))?((?: unsigned| zerofill)*)$/.exec(
    lower,
  )
  if (m === null) return { kind: 'native', sql: lower }
  const base = m[1] as string
  const n = m[2] === undefined ? undefined : Number(m[2])
  const scale = m[3] === undefined ? undefined : Number(m[3])
  const unsigned = m[4]?.includes('unsigned') ?? false
  const zerofill = m[4]?.includes('zerofill') ?? false
  const sign = unsigned ? ' unsigned' : ''
  if (zerofill) return { kind: 'native', sql: lower }
  switch (base) {
    case 'tinyint':
      return n === 1 && !unsigned ? { kind: 'boolean' } : { kind: 'native', sql: `tinyint${sign}` }
    case 'bool':
    case 'boolean':
      return { kind: 'boolean' }
    case 'smallint':
      return { kind: 'integer', bytes: 2, ...(unsigned ? { unsigned: true as const } : {}) }
    case 'int':
    case 'integer':
      return { kind: 'integer', bytes: 4, ...(unsigned ? { unsigned: true as const } : {}) }
    case 'bigint':
      return { kind: 'integer', bytes: 8, ...(unsigned ? { unsigned: true as const } : {}) }
    case 'mediumint':
      return { kind: 'native', sql: `mediumint${sign}` }
    case 'decimal':
    case 'numeric':
    case 'dec':
    case 'fixed':
      if (unsigned) return { kind: 'native', sql: `decimal(${n ?? 10},${scale ?? 0}) unsigned` }
      return { kind: 'decimal', precision: n ?? 10, scale: scale ?? 0 }
    case 'float':
      return n === undefined && !unsigned ? { kind: 'float', bytes: 4 } : { kind: 'native', sql: lower }
    case 'double':
    case 'double precision':
    case 'real':
      return n === undefined && !unsigned ? { kind: 'float', bytes: 8 } : { kind: 'native', sql: lower }
    case 'varchar':
    case 'character varying':
      return { kind: 'text', length: n ?? 1 }
    case 'char':
    case 'character':
      return { kind: 'text', length: n ?? 1, fixed: true }
    case 'text':
      // text(n) makes the smallest text type that holds n characters; plain text is 65,535 bytes.
      return n === undefined ? { kind: 'text' } : { kind: 'native', sql: lower }
    case 'blob':
      return n === undefined ? { kind: 'bytes' } : { kind: 'native', sql: lower }
    case 'datetime':
      return { kind: 'timestamp', withTimeZone: false, ...(n ? { precision: n } : {}) }
    case 'timestamp':
      return { kind: 'timestamp', withTimeZone: true, ...(n ? { precision: n } : {}) }
    case 'time':
      return { kind: 'time', withTimeZone: false, ...(n ? { precision: n } : {}) }
    case 'date':
      return { kind: 'date' }
    case 'json':
      return { kind: 'json' }
    case 'uuid':
      return { kind: 'uuid' }
    case 'year':
      return { kind: 'native', sql: 'year' }
    default:
      return { kind: 'native', sql: lower }
  }
}

/** A model column type in MySQL's words (the inverse of parseMysqlType). */
export function renderMysqlType(type: ColumnType): string {
  switch (type.kind) {
    case 'native':
      return type.sql
    case 'integer': {
      const base = type.bytes === 2 ? 'smallint' : type.bytes === 8 ? 'bigint' : 'int'
      return type.unsigned ? `${base} unsigned` : base
    }
    case 'decimal':
      return `decimal(${type.precision ?? 10},${type.scale ?? 0})`
    case 'float':
      return type.bytes === 4 ? 'float' : 'double'
    case 'text':
      if (type.length === undefined) return 'text'
      return `${type.fixed ? 'char' : 'varchar'}(${type.length})`
    case 'timestamp':
      return `${type.withTimeZone ? 'timestamp' : 'datetime'}${type.precision ? `(${type.precision})` : ''}`
    case 'time':
      return `time${type.precision ? `(${type.precision})` : ''}`
    case 'boolean':
      return 'tinyint(1)'
    case 'date':
      return 'date'
    case 'uuid':
      return 'uuid'
    case 'bytes':
      return 'blob'
    case 'json':
    case 'jsonb':
      return 'json'
    case 'interval':
    case 'enum':
    case 'array':
      throw new KeelError(
        'UNSUPPORTED',
        `MySQL has no ${type.kind} column type`,
        type.kind === 'enum'
          ? "MySQL enums are inline: declare the column with a native type, enum('a','b')."
          : 'Use json, or a native MySQL type.',
      )
    default:
      return type satisfies never
  }
}

/** The model's canonical form of a type for MySQL: what introspection reads back after the type is created. */
export function canonicalMysqlType(type: ColumnType): ColumnType {
  return parseMysqlType(renderMysqlType(type))
}
