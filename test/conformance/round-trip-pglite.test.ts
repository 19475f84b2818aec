/**
 * The property-based round trip (round-trip.test.ts) on in-memory PGlite, in a file of its own so that it runs
 * beside the server's in CI rather than after it.
 */
import { describe } from 'vitest'
import { DIALECTS } from '../support/databases.js'
import { roundTripSuite } from '../support/suites/round-trip.js'

/** PGlite is slower to reset than the server, so fewer pairs than its 200. */
describe.skipIf(!DIALECTS.includes('pglite'))('pglite', () => roundTripSuite('pglite', () => undefined, 100))
