import { KeelError } from '../../errors.js'
import type { ColumnType } from '../model.js'
import { type Base, ColumnBuilder, column, type Info } from './column-builder.js'

/** The name argument every builder accepts first, if it is a string: `text('explicit_name')`. */
function named(args: readonly unknown[]): { readonly name: string | undefined; readonly rest: readonly unknown[] } {
  return typeof args[0] === 'string' ? { name: args[0], rest: args.slice(1) } : { name: undefined, rest: args }
}

function simple<D>(type: ColumnType) {
  return (name?: string): ColumnBuilder<Base<D>> => column<D>(type, name)
}

/** `smallint` (2 bytes); `Row` type `number`. */
export const smallint = simple<number>({ kind: 'integer', bytes: 2 })
/** `integer` (4 bytes); `Row` type `number`. */
export const integer = simple<number>({ kind: 'integer', bytes: 4 })
/** `real` (4-byte float); `Row` type `number`. */
export const real = simple<number>({ kind: 'float', bytes: 4 })
/** `double precision`; `Row` type `number`. */
export const doublePrecision = simple<number>({ kind: 'float', bytes: 8 })
/** `text`; `Row` type `string`. */
export const text = simple<string>({ kind: 'text' })
/** `boolean` */
export const boolean = simple<boolean>({ kind: 'boolean' })
/** `uuid`; `Row` type `string`. Pair with `.defaultRandom()` for `gen_random_uuid()`. */
export const uuid = simple<string>({ kind: 'uuid' })
/** `bytea`; `Row` type `Uint8Array` (a Node `Buffer` is one). */
export const bytea = simple<Uint8Array>({ kind: 'bytes' })

/** How a 64-bit integer appears in TypeScript: `number` (the default) or `bigint`. */
export type BigintMode = 'number' | 'bigint'
/** The `Row` type of a 64-bit integer in a mode. */
export type BigintData<M extends BigintMode> = M extends 'bigint' ? bigint : number

/** `bigint` (8 bytes); `Row` type `number`, or `bigint` with `{ mode: 'bigint' }`. */
export function bigint<M extends BigintMode = 'number'>(config?: {
  readonly mode?: M
}): ColumnBuilder<Base<BigintData<M>>>
export function bigint<M extends BigintMode = 'number'>(
  name: string,
  config?: { readonly mode?: M },
): ColumnBuilder<Base<BigintData<M>>>
export function bigint(...args: readonly unknown[]): ColumnBuilder<Base<number>> {
  return column({ kind: 'integer', bytes: 8 }, named(args).name)
}

type Serial<D> = ColumnBuilder<Info<D, true, true, false>>

function serialColumn<D>(bytes: 2 | 4 | 8, name: string | undefined): Serial<D> {
  const base = { type: { kind: 'integer', bytes } as const, notNull: true, serial: true } as const
  return new ColumnBuilder(name === undefined ? base : { ...base, name })
}

/** `serial`: an integer with its own sequence (NOT NULL, defaulted). Prefer identity columns in new schemas. */
export function serial(name?: string): Serial<number> {
  return serialColumn(4, name)
}

/** `smallserial` */
export function smallserial(name?: string): Serial<number> {
  return serialColumn(2, name)
}

/** `bigserial`; `Row` type `number`, or `bigint` with `{ mode: 'bigint' }`. */
export function bigserial<M extends BigintMode = 'number'>(config?: { readonly mode?: M }): Serial<BigintData<M>>
export function bigserial<M extends BigintMode = 'number'>(
  name: string,
  config?: { readonly mode?: M },
): Serial<BigintData<M>>
export function bigserial(...args: readonly unknown[]): Serial<number> {
  return serialColumn(8, named(args).name)
}

/** Precision and scale of `numeric`. */
export interface NumericConfig {
  readonly precision?: number
  readonly scale?: number
}

/** `numeric(precision, scale)`; `Row` type `string` (exact decimals do not fit a JavaScript number). */
export function numeric(precision?: number, scale?: number): ColumnBuilder<Base<string>>
export function numeric(config: NumericConfig): ColumnBuilder<Base<string>>
export function numeric(name: string, precision?: number | NumericConfig, scale?: number): ColumnBuilder<Base<string>>
export function numeric(...args: readonly unknown[]): ColumnBuilder<Base<string>> {
  const { name, rest } = named(args)
  const config: NumericConfig =
    typeof rest[0] === 'object' && rest[0] !== null
      ? (rest[0] as NumericConfig)
      : { ...optional('precision', rest[0] as number | undefined), ...optional('scale', rest[1] as number | undefined) }
  if (config.scale !== undefined && config.precision === undefined) {
    throw new KeelError('SCHEMA_MODULE', 'numeric(): a scale needs a precision')
  }
  // numeric(p) means numeric(p, 0): the model omits a scale of 0 as the default.
  const type: ColumnType = {
    kind: 'decimal',
    ...optional('precision', config.precision),
    ...(config.scale === undefined || config.scale === 0 ? {} : { scale: config.scale }),
  }
  return column<string>(type, name)
}

/** `decimal`, the same type as `numeric`. */
export const decimal = numeric

/** `varchar(n)`; without a length, unbounded `character varying`. */
export function varchar(length?: number | { readonly length?: number }): ColumnBuilder<Base<string>>
export function varchar(name: string, length?: number | { readonly length?: number }): ColumnBuilder<Base<string>>
export function varchar(...args: readonly unknown[]): ColumnBuilder<Base<string>> {
  const { name, rest } = named(args)
  const length = lengthOf(rest[0])
  // The model's text without a length is `text`; an unbounded varchar is its own type name.
  const type: ColumnType =
    length === undefined ? { kind: 'native', sql: 'character varying' } : { kind: 'text', length }
  return column<string>(type, name)
}

/** `char(n)` (blank-padded); `char` alone is `char(1)`, as in SQL. */
export function char(length?: number | { readonly length?: number }): ColumnBuilder<Base<string>>
export function char(name: string, length?: number | { readonly length?: number }): ColumnBuilder<Base<string>>
export function char(...args: readonly unknown[]): ColumnBuilder<Base<string>> {
  const { name, rest } = named(args)
  return column<string>({ kind: 'text', length: lengthOf(rest[0]) ?? 1, fixed: true }, name)
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'object' && value !== null) return (value as { readonly length?: number }).length
  return undefined
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

/** How a date or timestamp appears in TypeScript. */
export type DateMode = 'date' | 'string'
type DateData<M extends DateMode> = M extends 'string' ? string : Date

/** `date`; `Row` type `string` (`YYYY-MM-DD`), or `Date` with `{ mode: 'date' }`. */
export function date<M extends DateMode = 'string'>(config?: { readonly mode?: M }): ColumnBuilder<Base<DateData<M>>>
export function date<M extends DateMode = 'string'>(
  name: string,
  config?: { readonly mode?: M },
): ColumnBuilder<Base<DateData<M>>>
export function date(...args: readonly unknown[]): ColumnBuilder<Base<string>> {
  return column<string>({ kind: 'date' }, named(args).name)
}

/** Options of `time` and `timestamp`. */
export interface TimeConfig {
  readonly withTimeZone?: boolean
  /** Fractional-second digits, 0 to 6. */
  readonly precision?: number
}

/** `time [with time zone]`; `Row` type `string`. */
export function time(config?: TimeConfig): ColumnBuilder<Base<string>>
export function time(name: string, config?: TimeConfig): ColumnBuilder<Base<string>>
export function time(...args: readonly unknown[]): ColumnBuilder<Base<string>> {
  const { name, rest } = named(args)
  const config = (rest[0] ?? {}) as TimeConfig
  const type = { kind: 'time', withTimeZone: config.withTimeZone === true, ...optional('precision', config.precision) }
  return column<string>(type as ColumnType, name)
}

/** Options of `timestamp`. */
export interface TimestampConfig<M extends DateMode> extends TimeConfig {
  /** `date` (the default) for `Date` rows, `string` for the server's text. */
  readonly mode?: M
}

/** `timestamp [with time zone]`; `Row` type `Date`, or `string` with `{ mode: 'string' }`. */
export function timestamp<M extends DateMode = 'date'>(config?: TimestampConfig<M>): ColumnBuilder<Base<DateData<M>>>
export function timestamp<M extends DateMode = 'date'>(
  name: string,
  config?: TimestampConfig<M>,
): ColumnBuilder<Base<DateData<M>>>
export function timestamp(...args: readonly unknown[]): ColumnBuilder<Base<Date>> {
  const { name, rest } = named(args)
  const config = (rest[0] ?? {}) as TimeConfig
  const type = {
    kind: 'timestamp',
    withTimeZone: config.withTimeZone === true,
    ...optional('precision', config.precision),
  }
  return column<Date>(type as ColumnType, name)
}

/** `timestamp with time zone`, the usual choice for instants. */
export function timestamptz<M extends DateMode = 'date'>(
  config?: Omit<TimestampConfig<M>, 'withTimeZone'>,
): ColumnBuilder<Base<DateData<M>>>
export function timestamptz<M extends DateMode = 'date'>(
  name: string,
  config?: Omit<TimestampConfig<M>, 'withTimeZone'>,
): ColumnBuilder<Base<DateData<M>>>
export function timestamptz(...args: readonly unknown[]): ColumnBuilder<Base<Date>> {
  const { name, rest } = named(args)
  const config = { ...((rest[0] ?? {}) as TimeConfig), withTimeZone: true }
  return name === undefined ? timestamp(config) : timestamp(name, config)
}

/** Options of `interval`. */
export interface IntervalConfig {
  /** Restricts the stored fields: `'year to month'`, `'day to second'`, ... */
  readonly fields?: string
  readonly precision?: number
}

/** `interval`; `Row` type `string`. */
export function interval(config?: IntervalConfig): ColumnBuilder<Base<string>>
export function interval(name: string, config?: IntervalConfig): ColumnBuilder<Base<string>>
export function interval(...args: readonly unknown[]): ColumnBuilder<Base<string>> {
  const { name, rest } = named(args)
  const config = (rest[0] ?? {}) as IntervalConfig
  const fields = config.fields?.trim().toLowerCase().replace(/\s+/g, ' ')
  return column<string>(
    { kind: 'interval', ...optional('fields', fields), ...optional('precision', config.precision) },
    name,
  )
}

/** `json`; `Row` type `T` (default `unknown`). Defaults are serialised with JSON.stringify. */
export function json<T = unknown>(name?: string): ColumnBuilder<Base<T>> {
  return column<T>({ kind: 'json' }, name)
}

/** `jsonb`; `Row` type `T` (default `unknown`): `jsonb<Settings>()`. */
export function jsonb<T = unknown>(name?: string): ColumnBuilder<Base<T>> {
  return column<T>({ kind: 'jsonb' }, name)
}

/**
 * A type Keel has no builder for, in the database's own spelling: `native('inet')`, or with a column name
 * `native('ip', 'inet')`. `Row` type `T` (default `unknown`).
 */
export function native<T = unknown>(sqlType: string): ColumnBuilder<Base<T>>
export function native<T = unknown>(name: string, sqlType: string): ColumnBuilder<Base<T>>
export function native<T = unknown>(first: string, second?: string): ColumnBuilder<Base<T>> {
  return second === undefined
    ? column<T>({ kind: 'native', sql: first })
    : column<T>({ kind: 'native', sql: second }, first)
}

/**
 * A reusable builder for a native type with a TypeScript type.
 * @example
 * const citext = customType<string>('citext')
 * // in a table: email: citext().notNull()
 */
export function customType<T>(sqlType: string): (name?: string) => ColumnBuilder<Base<T>> {
  return (name?: string) => column<T>({ kind: 'native', sql: sqlType }, name)
}
