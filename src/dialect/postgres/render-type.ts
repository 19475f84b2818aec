import { assertNever } from '../../assert-never.js'
import { KeelError } from '../../errors.js'
import type { ColumnType, IntegerType } from '../../schema/model.js'
import { quoteQualified } from './quote.js'

/** Interval field restrictions PostgreSQL accepts (`interval day to second`). */
const intervalFields = new Set([
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'year to month',
  'day to hour',
  'day to minute',
  'day to second',
  'hour to minute',
  'hour to second',
  'minute to second',
])

/**
 * Renders a column type in PostgreSQL's spelling, lower case as `format_type` prints it:
 * `bigint`, `numeric(10,2)`, `varchar(255)`, `timestamp(3) with time zone`, `public.mood`, `text[]`.
 * A `native` type is written verbatim (it is already in the server's spelling).
 *
 * @example
 * renderColumnType({ kind: 'text', length: 20 }) // varchar(20)
 */
export function renderColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return renderIntegerType(type)
    case 'decimal':
      if (type.precision === undefined) return 'numeric'
      return type.scale === undefined ? `numeric(${type.precision})` : `numeric(${type.precision},${type.scale})`
    case 'float':
      return type.bytes === 4 ? 'real' : 'double precision'
    case 'text':
      if (type.fixed) return type.length === undefined ? 'char' : `char(${type.length})`
      return type.length === undefined ? 'text' : `varchar(${type.length})`
    case 'timestamp':
    case 'time':
      return `${type.kind}${precision(type.precision)}${type.withTimeZone ? ' with time zone' : ''}`
    case 'interval':
      return `interval${renderIntervalFields(type.fields)}${precision(type.precision)}`
    case 'boolean':
    case 'date':
    case 'uuid':
    case 'json':
    case 'jsonb':
      return type.kind
    case 'bytes':
      return 'bytea'
    case 'enum':
      return quoteQualified(type.enum)
    case 'array':
      return `${renderColumnType(type.element)}[]`
    case 'native':
      return type.sql
    default:
      return assertNever(type)
  }
}

/** The pseudo-type of a `serial: true` column: `smallserial`, `serial` or `bigserial`. */
export function renderSerialType(type: ColumnType): string {
  if (type.kind !== 'integer') {
    throw new KeelError('UNSUPPORTED', `a serial column must have an integer type, not ${renderColumnType(type)}`)
  }
  return { 2: 'smallserial', 4: 'serial', 8: 'bigserial' }[type.bytes]
}

/** `smallint`, `integer` or `bigint`; PostgreSQL has no unsigned integers, so those are refused, not widened. */
export function renderIntegerType(type: IntegerType): string {
  if (type.unsigned) {
    throw new KeelError('UNSUPPORTED', 'PostgreSQL has no unsigned integer types', 'Use a signed type with a CHECK.')
  }
  return { 2: 'smallint', 4: 'integer', 8: 'bigint' }[type.bytes]
}

function precision(value: number | undefined): string {
  return value === undefined ? '' : `(${value})`
}

function renderIntervalFields(fields: string | undefined): string {
  if (fields === undefined) return ''
  const normalized = fields.trim().toLowerCase().replace(/\s+/g, ' ')
  // Fields are keywords, not names: accept only PostgreSQL's list rather than pass text through.
  if (!intervalFields.has(normalized)) throw new KeelError('UNSUPPORTED', `unknown interval fields: ${fields}`)
  return ` ${normalized}`
}
