/**
 * The round trip's environment switches (test/support/round-trip-options.ts), with the real pair generator and
 * fast-check but no database: a seed picks the same pairs every time, a failure prints the command that replays its
 * pair, that command's values replay exactly that pair, and a value that does not parse is an error.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Schema } from '../../src/schema/model.js'
import { schemaPairArb } from '../support/random-schema.js'
import { roundTripOptions, roundTripParameters } from '../support/round-trip-options.js'

type Pair = readonly [Schema, Schema]
const FILE = 'test/conformance/round-trip.test.ts'

/** Runs fc.assert as the suite does, with `check` as the property; returns the pairs it saw, and its error. */
async function run(env: Record<string, string>, check: (pair: Pair) => boolean = () => true) {
  const seen: Pair[] = []
  const property = fc.asyncProperty(schemaPairArb, async (pair) => {
    seen.push(pair)
    return check(pair)
  })
  const error = await fc.assert(property, roundTripParameters(roundTripOptions(200, env), FILE)).then(
    () => undefined,
    (thrown: unknown) => thrown as Error,
  )
  return { seen, error }
}

/** A property that fails on some pairs and not others: the second schema has more tables than the first. */
const noTableAdded = ([a, b]: Pair): boolean => b.tables.length <= a.tables.length

describe('round trip options', () => {
  it('a fixed seed generates the same pairs in every run, and another seed others', async () => {
    const first = await run({ KEEL_ROUND_TRIP_SEED: '42', KEEL_ROUND_TRIP_RUNS: '5' })
    const again = await run({ KEEL_ROUND_TRIP_SEED: '42', KEEL_ROUND_TRIP_RUNS: '5' })
    const other = await run({ KEEL_ROUND_TRIP_SEED: '43', KEEL_ROUND_TRIP_RUNS: '5' })
    expect(first.seen).toHaveLength(5)
    expect(again.seen).toEqual(first.seen)
    expect(other.seen).not.toEqual(first.seen)
  })

  it("runs the suite's own pair count unless KEEL_ROUND_TRIP_RUNS says otherwise", async () => {
    expect(roundTripOptions(200, {})).toEqual({ runs: 200, shrink: false })
    expect((await run({ KEEL_ROUND_TRIP_SEED: '7' })).seen).toHaveLength(200)
    expect((await run({ KEEL_ROUND_TRIP_SEED: '7', KEEL_ROUND_TRIP_RUNS: '3' })).seen).toHaveLength(3)
  })

  it('a path replays the one pair at that position of its seed, and ends there when it passes', async () => {
    const pairs = await run({ KEEL_ROUND_TRIP_SEED: '42', KEEL_ROUND_TRIP_RUNS: '5' })
    const replay = await run({ KEEL_ROUND_TRIP_SEED: '42', KEEL_ROUND_TRIP_PATH: '3' })
    expect(replay.error).toBeUndefined()
    expect(replay.seen).toEqual([pairs.seen[3]])
  })

  for (const shrink of ['0', '1']) {
    it(`a failure prints the command that replays its pair, and that pair alone fails again (shrink=${shrink})`, async () => {
      const failed = await run({ KEEL_ROUND_TRIP_SEED: '20261207', KEEL_ROUND_TRIP_SHRINK: shrink }, noTableAdded)
      const command = failed.error?.message.match(
        /^Reproduce with: KEEL_ROUND_TRIP_SEED=(-?\d+) KEEL_ROUND_TRIP_PATH=(\S+) npx vitest run (\S+)/,
      )
      expect(command, failed.error?.message).not.toBeNull()
      const [, seed, path, file] = command as RegExpMatchArray
      expect([seed, file]).toEqual(['20261207', FILE])
      expect(path).toMatch(shrink === '1' ? /^\d+:\d+/ : /^\d+$/)
      expect(failed.error?.message).toContain('Property failed after')
      expect(failed.error?.cause).toBeDefined()
      const counterexample = failed.seen.filter((pair) => !noTableAdded(pair)).at(-1)

      const replay = await run({ KEEL_ROUND_TRIP_SEED: seed!, KEEL_ROUND_TRIP_PATH: path! }, noTableAdded)
      expect(replay.error?.message).toContain(`KEEL_ROUND_TRIP_PATH=${path} `)
      expect(replay.seen.filter((pair) => !noTableAdded(pair))).toEqual([counterexample])
      // Unshrunk, the path is the failing pair's position: the replay starts there and ends on it.
      if (shrink === '0') expect(replay.seen).toEqual([counterexample])
    })
  }

  it.each([
    ['KEEL_ROUND_TRIP_SEED', 'abc', /KEEL_ROUND_TRIP_SEED=abc: expected an integer/],
    ['KEEL_ROUND_TRIP_SEED', '1.5', /expected an integer/],
    ['KEEL_ROUND_TRIP_SEED', '99999999999', /a seed is a 32-bit integer/],
    ['KEEL_ROUND_TRIP_RUNS', '0', /KEEL_ROUND_TRIP_RUNS=0: expected a positive integer/],
    ['KEEL_ROUND_TRIP_RUNS', '20O', /expected a positive integer/],
    ['KEEL_ROUND_TRIP_SHRINK', 'yes', /KEEL_ROUND_TRIP_SHRINK=yes: expected 0 or 1/],
  ])('%s=%s is an error, not ignored', (name, value, message) => {
    expect(() => roundTripOptions(200, { [name]: value })).toThrow(message)
  })

  it('a path must parse, and is an error without the seed it belongs to', () => {
    const seed = { KEEL_ROUND_TRIP_SEED: '1' }
    expect(() => roundTripOptions(200, { ...seed, KEEL_ROUND_TRIP_PATH: '3:x' })).toThrow(/expected a path/)
    expect(() => roundTripOptions(200, { ...seed, KEEL_ROUND_TRIP_PATH: '"3"' })).toThrow(/expected a path/)
    expect(() => roundTripOptions(200, { KEEL_ROUND_TRIP_PATH: '3' })).toThrow(/set KEEL_ROUND_TRIP_SEED with it/)
    expect(roundTripOptions(200, { ...seed, KEEL_ROUND_TRIP_PATH: '3:0:12' })).toEqual({
      seed: 1,
      path: '3:0:12',
      runs: 200,
      shrink: false,
    })
  })
})
