import type { IntegerType, SequenceOptions } from '../../schema/model.js'

type Bytes = IntegerType['bytes']

/**
 * The range of each integer type. Numbers, not bigints: the model is JSON data. 2^63 - 1 is not exact
 * as a double, but it rounds to the same double whether it comes from the catalog or from this table.
 */
const RANGE: Readonly<Record<Bytes, { readonly min: number; readonly max: number }>> = {
  2: { min: -32768, max: 32767 },
  4: { min: -2147483648, max: 2147483647 },
  8: { min: Number('-9223372036854775808'), max: Number('9223372036854775807') },
}

/**
 * Rewrites sequence options so that each field is present only when it differs from PostgreSQL's
 * default (CREATE SEQUENCE): increment 1; an ascending sequence runs from 1 to the type's maximum and
 * starts at its minimum, a descending one from the type's minimum to -1 and starts at its maximum;
 * cache 1; no cycle. `type` is dropped when `omitType` (identity sequences take the column's type)
 * or when it is bigint, the default of CREATE SEQUENCE.
 */
export function normalizeSequenceOptions(options: SequenceOptions, bytes: Bytes, omitType: boolean): SequenceOptions {
  const increment = options.increment ?? 1
  const ascending = increment > 0
  const range = RANGE[bytes]
  const defaultMin = ascending ? 1 : range.min
  const defaultMax = ascending ? range.max : -1
  const min = options.min ?? defaultMin
  const max = options.max ?? defaultMax
  const defaultStart = ascending ? min : max
  const result: { -readonly [K in keyof SequenceOptions]: SequenceOptions[K] } = {}
  if (!omitType && bytes !== 8) result.type = { kind: 'integer', bytes }
  if (options.start !== undefined && options.start !== defaultStart) result.start = options.start
  if (increment !== 1) result.increment = increment
  if (min !== defaultMin) result.min = min
  if (max !== defaultMax) result.max = max
  if (options.cache !== undefined && options.cache !== 1) result.cache = options.cache
  if (options.cycle === true) result.cycle = true
  return result
}

/** Whether normalised options are all defaults. */
export function isDefaultSequence(options: SequenceOptions): boolean {
  return Object.keys(options).length === 0
}
