/**
 * The version matrix on PostgreSQL 17 (from npm; see test/support/suites/version-matrix.ts): round trip, migra
 * conformance and CLI lifecycle.
 */
import { versionMatrix } from '../support/suites/version-matrix.js'

versionMatrix(17, { roundTripRuns: 25 })
