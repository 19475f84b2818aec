import type { IntegerType, SequenceValue } from './model.js'

/**
 * The range of each integer type, which bounds a sequence of that type. Bigints: 2^63 - 1 has no exact
 * double, and a rounded bound would make a sequence that uses it look different from one that leaves it out.
 */
export const INTEGER_RANGES: Readonly<Record<IntegerType['bytes'], { readonly min: bigint; readonly max: bigint }>> = {
  2: { min: -(2n ** 15n), max: 2n ** 15n - 1n },
  4: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  8: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
}

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * The canonical `SequenceValue` of an integer: a number when it is safe, its digits otherwise.
 * @example sequenceValue(2n ** 53n + 1n) // '9007199254740993'
 */
export function sequenceValue(value: bigint): SequenceValue {
  return value >= -SAFE_MAX && value <= SAFE_MAX ? Number(value) : (value.toString() as `${bigint}`)
}

/** A `SequenceValue` (canonical or not: `'5'` and `5` alike) as the exact integer it stands for. */
export function sequenceBigInt(value: SequenceValue): bigint {
  return BigInt(value)
}

/** A sequence value as the catalog prints it (`pg_sequence` columns cast to text), in canonical form. */
export function parseSequenceValue(text: string): SequenceValue {
  return sequenceValue(BigInt(text))
}
