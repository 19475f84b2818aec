import type { IntegerType, SequenceOptions } from '../../schema/model.js'
import { INTEGER_RANGES, sequenceBigInt, sequenceValue } from '../../schema/sequence-value.js'

type Bytes = IntegerType['bytes']

/**
 * Rewrites sequence options so that each field is present only when it differs from PostgreSQL's
 * default (CREATE SEQUENCE): increment 1; an ascending sequence runs from 1 to the type's maximum and
 * starts at its minimum, a descending one from the type's minimum to -1 and starts at its maximum;
 * cache 1; no cycle. `type` is dropped when `omitType` (identity sequences take the column's type)
 * or when it is bigint, the default of CREATE SEQUENCE. Values are compared as bigints (sequences are
 * bigint up to 2^63 - 1) and come out in the model's canonical form.
 */
export function normalizeSequenceOptions(options: SequenceOptions, bytes: Bytes, omitType: boolean): SequenceOptions {
  const exact = (value: SequenceOptions['start']) => (value === undefined ? undefined : sequenceBigInt(value))
  const increment = exact(options.increment) ?? 1n
  const ascending = increment > 0n
  const range = INTEGER_RANGES[bytes]
  const defaultMin = ascending ? 1n : range.min
  const defaultMax = ascending ? range.max : -1n
  const min = exact(options.min) ?? defaultMin
  const max = exact(options.max) ?? defaultMax
  const start = exact(options.start)
  const cache = exact(options.cache)
  const result: { -readonly [K in keyof SequenceOptions]: SequenceOptions[K] } = {}
  if (!omitType && bytes !== 8) result.type = { kind: 'integer', bytes }
  if (start !== undefined && start !== (ascending ? min : max)) result.start = sequenceValue(start)
  if (increment !== 1n) result.increment = sequenceValue(increment)
  if (min !== defaultMin) result.min = sequenceValue(min)
  if (max !== defaultMax) result.max = sequenceValue(max)
  if (cache !== undefined && cache !== 1n) result.cache = sequenceValue(cache)
  if (options.cycle === true) result.cycle = true
  return result
}

/** Whether normalised options are all defaults. */
export function isDefaultSequence(options: SequenceOptions): boolean {
  return Object.keys(options).length === 0
}
