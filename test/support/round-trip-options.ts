/**
 * How the property round trip (suites/round-trip.ts) picks its pairs, read from the environment, and how its failure
 * says to pick the same pair again:
 *   KEEL_ROUND_TRIP_SEED     fast-check's seed, an integer (random when unset)
 *   KEEL_ROUND_TRIP_PATH     one counterexample's path, as a failure prints it (`37`, or `37:2:0` once shrunk);
 *                            needs the seed it came from
 *   KEEL_ROUND_TRIP_RUNS     pairs per suite, in place of each suite's own count (a deeper run: 1000)
 *   KEEL_ROUND_TRIP_SHRINK=1 shrink a failing pair to a smaller one; off by default, since every shrinking step
 *                            rebuilds two schemas and a failure found late could spend the test's time limit on it
 * A value that does not parse is an error, never ignored: a mistyped reproduction must not run random pairs and pass.
 */
import { relative } from 'node:path'
import fc from 'fast-check'

export interface RoundTripOptions {
  readonly seed?: number
  readonly path?: string
  readonly runs: number
  readonly shrink: boolean
}

type Env = Readonly<Record<string, string | undefined>>

/** The options of a suite whose own pair count is `defaultRuns`; throws on a value that does not parse. */
export function roundTripOptions(defaultRuns: number, env: Env = process.env): RoundTripOptions {
  const seed = parse(env, 'KEEL_ROUND_TRIP_SEED', /^-?\d+$/, 'an integer', Number)
  // fast-check prints 32-bit seeds; it would fold a larger number into some other seed, silently.
  if (seed !== undefined && seed !== (seed | 0)) {
    throw new Error(`KEEL_ROUND_TRIP_SEED=${env.KEEL_ROUND_TRIP_SEED}: a seed is a 32-bit integer`)
  }
  const path = parse(env, 'KEEL_ROUND_TRIP_PATH', /^\d+(:\d+)*$/, 'a path such as 37 or 37:2:0', String)
  if (path !== undefined && seed === undefined) {
    throw new Error('KEEL_ROUND_TRIP_PATH is a position in the pairs of one seed: set KEEL_ROUND_TRIP_SEED with it')
  }
  const runs = parse(env, 'KEEL_ROUND_TRIP_RUNS', /^[1-9]\d*$/, 'a positive integer', Number) ?? defaultRuns
  const shrink = parse(env, 'KEEL_ROUND_TRIP_SHRINK', /^[01]$/, '0 or 1', (value) => value === '1') ?? false
  return { ...(seed === undefined ? {} : { seed }), ...(path === undefined ? {} : { path }), runs, shrink }
}

function parse<T>(env: Env, name: string, form: RegExp, what: string, read: (value: string) => T): T | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  if (!form.test(value.trim())) throw new Error(`${name}=${value}: expected ${what}`)
  return read(value.trim())
}

/**
 * fc.assert's parameters for `options`: a failure's message starts with the command that replays its pair alone
 * (`file` is the test file to name in it), then fast-check's own report, with the error that failed as its cause.
 */
export function roundTripParameters<Ts>(options: RoundTripOptions, file: string): fc.Parameters<Ts> {
  return {
    // A replayed path that passes (the bug is fixed) ends there, instead of going on through the pairs after it.
    numRuns: options.path === undefined ? options.runs : 1,
    endOnFailure: !options.shrink,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
    asyncReporter: async (details) => {
      if (!details.failed) return
      const report = await fc.asyncDefaultReportMessage(details)
      const replay =
        details.counterexamplePath === null
          ? `KEEL_ROUND_TRIP_SEED=${details.seed}`
          : reproduceCommand(details.seed, details.counterexamplePath, file)
      const shrinkHint = options.shrink ? '' : ' (add KEEL_ROUND_TRIP_SHRINK=1 for a smaller pair)'
      throw new Error(`Reproduce with: ${replay}${shrinkHint}\n${report}`, { cause: details.errorInstance })
    },
  }
}

/** The shell command that replays the pair at `path` of `seed`'s run of `file`, alone. */
export function reproduceCommand(seed: number, path: string, file: string): string {
  const name = relative(process.cwd(), file).split('\\').join('/')
  return `KEEL_ROUND_TRIP_SEED=${seed} KEEL_ROUND_TRIP_PATH=${path} npx vitest run ${name}`
}
