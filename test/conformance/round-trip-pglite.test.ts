/**
 * The property-based round trip (round-trip.test.ts) on in-memory PGlite, in a file of its own so that it runs
 * beside the server's in CI rather than after it.
 */
import { describe } from 'vitest'
import { DIALECTS } from '../support/databases.js'
import { roundTripSuite } from '../support/suites/round-trip.js'

/**
 * Fewer pairs than the server's 200: a pair costs PGlite four introspections in WebAssembly (three quarters of this
 * file's time), and the planner and differ it checks are the server's. 100 pairs took 29.6 s of CPU, the second
 * heaviest file of the run; KEEL_ROUND_TRIP_RUNS=1000 runs a deeper check.
 */
describe.skipIf(!DIALECTS.includes('pglite'))('pglite', () => roundTripSuite('pglite', () => undefined, 50))
