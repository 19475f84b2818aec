import type { IntegerType, SequenceOptions } from '../model.js'

/** Options of a sequence or an identity column, as users write them. */
export interface SequenceInput {
  readonly start?: number
  readonly increment?: number
  readonly min?: number
  readonly max?: number
  readonly cache?: number
  readonly cycle?: boolean
}

const ranges: Readonly<Record<IntegerType['bytes'], readonly [number, number]>> = {
  2: [-32768, 32767],
  4: [-2147483648, 2147483647],
  // 2^63 does not fit a double exactly; Number() of the bounds is what a user's literal becomes too.
  8: [Number(-(2n ** 63n)), Number(2n ** 63n - 1n)],
}

/**
 * Sequence options with every field that holds PostgreSQL's default for the sequence's type left out (as the
 * model requires): increment 1, min 1 and max the type's maximum when ascending (type minimum and -1 when
 * descending), start at min (max when descending), cache 1, no cycle. `type` is never included.
 */
export function sequenceOptions(input: SequenceInput, bytes: IntegerType['bytes']): SequenceOptions {
  const [typeMin, typeMax] = ranges[bytes]
  const increment = input.increment ?? 1
  const ascending = increment > 0
  const min = input.min ?? (ascending ? 1 : typeMin)
  const max = input.max ?? (ascending ? typeMax : -1)
  const start = input.start ?? (ascending ? min : max)
  const out: { -readonly [K in keyof SequenceOptions]: SequenceOptions[K] } = {}
  if (start !== (ascending ? min : max)) out.start = start
  if (increment !== 1) out.increment = increment
  if (min !== (ascending ? 1 : typeMin)) out.min = min
  if (max !== (ascending ? typeMax : -1)) out.max = max
  if (input.cache !== undefined && input.cache !== 1) out.cache = input.cache
  if (input.cycle === true) out.cycle = true
  return out
}
