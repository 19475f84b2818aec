import { KeelError } from '../../errors.js'
import type { IntegerType, SequenceOptions } from '../model.js'
import { INTEGER_RANGES, sequenceValue } from '../sequence-value.js'

/**
 * A sequence value as users write it: a number (`1000`), or, beyond 2^53 where a number would already be
 * rounded, a bigint (`9007199254740993n`) or a string of digits (`'9007199254740993'`).
 */
export type SequenceValueInput = number | bigint | `${bigint}`

/** Options of a sequence or an identity column, as users write them. */
export interface SequenceInput {
  readonly start?: SequenceValueInput
  readonly increment?: SequenceValueInput
  readonly min?: SequenceValueInput
  readonly max?: SequenceValueInput
  readonly cache?: SequenceValueInput
  readonly cycle?: boolean
}

/**
 * Sequence options with every field that holds PostgreSQL's default for the sequence's type left out (as the
 * model requires): increment 1, min 1 and max the type's maximum when ascending (type minimum and -1 when
 * descending), start at min (max when descending), cache 1, no cycle. `type` is never included. Values are
 * compared as bigints and kept exact (`SequenceValue`).
 */
export function sequenceOptions(input: SequenceInput, bytes: IntegerType['bytes']): SequenceOptions {
  const { min: typeMin, max: typeMax } = INTEGER_RANGES[bytes]
  const increment = exactValue('increment', input.increment) ?? 1n
  if (increment === 0n) throw new KeelError('SCHEMA_MODULE', 'increment must not be 0')
  const ascending = increment > 0n
  const min = exactValue('min', input.min) ?? (ascending ? 1n : typeMin)
  const max = exactValue('max', input.max) ?? (ascending ? typeMax : -1n)
  const start = exactValue('start', input.start) ?? (ascending ? min : max)
  const cache = exactValue('cache', input.cache)
  const out: { -readonly [K in keyof SequenceOptions]: SequenceOptions[K] } = {}
  if (start !== (ascending ? min : max)) out.start = sequenceValue(start)
  if (increment !== 1n) out.increment = sequenceValue(increment)
  if (min !== (ascending ? 1n : typeMin)) out.min = sequenceValue(min)
  if (max !== (ascending ? typeMax : -1n)) out.max = sequenceValue(max)
  if (cache !== undefined && cache !== 1n) out.cache = sequenceValue(cache)
  if (input.cycle === true) out.cycle = true
  return out
}

const digits = /^[+-]?\d+$/

/**
 * The exact integer a user wrote. A number past 2^53 is refused rather than trusted: JavaScript has already
 * rounded the literal (`9007199254740993` reads as `9007199254740992`), so what reaches Keel may not be what
 * was written.
 */
function exactValue(option: string, value: SequenceValueInput | undefined): bigint | undefined {
  if (value === undefined) return undefined
  let exact: bigint
  if (typeof value === 'bigint') exact = value
  else if (typeof value === 'string') {
    if (!digits.test(value)) throw new KeelError('SCHEMA_MODULE', `${option} '${value}' is not an integer`)
    exact = BigInt(value)
  } else if (Number.isSafeInteger(value)) exact = BigInt(value)
  else if (Number.isInteger(value)) {
    throw new KeelError(
      'SCHEMA_MODULE',
      `${option} ${value} is past 2^53, where a JavaScript number may be rounded`,
      "Write it as a bigint literal (9007199254740993n) or a string of digits ('9007199254740993').",
    )
  } else throw new KeelError('SCHEMA_MODULE', `${option} ${value} is not an integer`)
  if (exact < INTEGER_RANGES[8].min || exact > INTEGER_RANGES[8].max) {
    throw new KeelError('SCHEMA_MODULE', `${option} ${exact} is outside the range of bigint, which bounds sequences`)
  }
  return exact
}
