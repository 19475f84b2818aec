/**
 * Property-based round trip (DESIGN.md's first quality bar) on the system server; the suite itself is
 * test/support/suites/round-trip.ts, which the version matrix (test/matrix/) runs on other PostgreSQL versions.
 * PGlite's run is round-trip-pglite.test.ts, a file of its own so that the two run side by side in CI.
 */
import { describe } from 'vitest'
import { DIALECTS, POSTGRES_URL } from '../support/databases.js'
import { roundTripSuite } from '../support/suites/round-trip.js'

/** The issue asks for at least 200 pairs on the server. */
describe.skipIf(!DIALECTS.includes('postgres'))('postgres', () => roundTripSuite('postgres', () => POSTGRES_URL, 200))
