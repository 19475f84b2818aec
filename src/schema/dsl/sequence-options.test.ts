import { describe, expect, test } from 'vitest'
import { KeelError } from '../../errors.js'
import { bigint, collect, sequence, table } from './index.js'
import { type SequenceInput, sequenceOptions } from './sequence-options.js'

describe('sequence values past 2^53 in the DSL', () => {
  test('bigints and digit strings are kept exact; safe values stay numbers', () => {
    expect(
      sequenceOptions(
        { start: 9007199254740993n, increment: '9007199254740995', min: -5n, max: '9223372036854775806', cache: 20 },
        8,
      ),
    ).toEqual({
      start: '9007199254740993',
      increment: '9007199254740995',
      min: -5,
      max: '9223372036854775806',
      cache: 20,
    })
  })

  test('the options take numbers, bigints and strings of digits', () => {
    const input: SequenceInput = { start: 1000, max: 9223372036854775806n, min: '-9223372036854775807' }
    // @ts-expect-error: a string that is not an integer's digits does not type-check
    const wrong: SequenceInput = { start: 'twelve' }
    expect(sequenceOptions(input, 8)).toEqual({ start: 1000, max: '9223372036854775806', min: '-9223372036854775807' })
    expect(() => sequenceOptions(wrong, 8)).toThrow("start 'twelve' is not an integer")
  })

  test('a default is recognised to the last digit', () => {
    // 2^63 - 1 and 2^63 - 2 are one double: only exact comparison tells the type's maximum from one below it.
    expect(sequenceOptions({ max: 9223372036854775807n }, 8)).toEqual({})
    expect(sequenceOptions({ max: 9223372036854775806n }, 8)).toEqual({ max: '9223372036854775806' })
    expect(sequenceOptions({ increment: -1, min: '-9223372036854775808' }, 8)).toEqual({ increment: -1 })
    expect(sequenceOptions({ increment: -1, min: '-9223372036854775807' }, 8)).toEqual({
      increment: -1,
      min: '-9223372036854775807',
    })
    // start defaults to min, also past 2^53.
    expect(sequenceOptions({ start: '9007199254740993', min: 9007199254740993n }, 8)).toEqual({
      min: '9007199254740993',
    })
  })

  test('sequence() and identity options reach the model exact', () => {
    const schema = collect({
      ledger: sequence('ledger', { start: 9007199254740993n, max: '9223372036854775806' }),
      entries: table('entries', {
        id: bigint().generatedAlwaysAsIdentity({ start: 9007199254740993n, increment: 9007199254740995n }),
      }),
    })
    expect(schema.sequences[0]).toEqual({
      name: { name: 'ledger' },
      start: '9007199254740993',
      max: '9223372036854775806',
    })
    expect(schema.tables[0]?.columns[0]?.identity).toEqual({
      always: true,
      sequence: { start: '9007199254740993', increment: '9007199254740995' },
    })
  })

  const thrown = (fn: () => unknown): KeelError => {
    try {
      fn()
    } catch (error) {
      if (error instanceof KeelError) return error
      throw error
    }
    throw new Error('no error')
  }
  const failure = (fn: () => unknown): string => {
    const error = thrown(fn)
    return `${error.code}: ${error.message}`
  }

  test('a number past 2^53 is refused, with the spelling that keeps its digits', () => {
    // The literal 9007199254740993 has already become 9007199254740992 when the DSL sees it.
    // biome-ignore lint/correctness/noPrecisionLoss: the rounded literal is what the DSL must refuse
    const error = thrown(() => collect({ s: sequence('s', { start: 9007199254740993 }) }))
    expect(error.message).toBe(
      'sequence s: start 9007199254740992 is past 2^53, where a JavaScript number may be rounded',
    )
    expect(error.hint).toBe(
      "Write it as a bigint literal (9007199254740993n) or a string of digits ('9007199254740993').",
    )
    expect(
      failure(() => collect({ t: table('t', { id: bigint().generatedByDefaultAsIdentity({ max: 2 ** 60 }) }) })),
    ).toBe(
      'SCHEMA_MODULE: table t: column id: max 1152921504606847000 is past 2^53, where a JavaScript number may be rounded',
    )
  })

  test.each([
    ['a fraction', { start: 1.5 }, 'start 1.5 is not an integer'],
    ['text', { cache: '20 rows' as `${bigint}` }, "cache '20 rows' is not an integer"],
    ['2^63', { max: 2n ** 63n }, 'max 9223372036854775808 is outside the range of bigint, which bounds sequences'],
    ['a zero increment', { increment: 0n }, 'increment must not be 0'],
  ])('%s is refused', (_, options, message) => {
    expect(failure(() => collect({ s: sequence('s', options) }))).toBe(`SCHEMA_MODULE: sequence s: ${message}`)
  })
})
