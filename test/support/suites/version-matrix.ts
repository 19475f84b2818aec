/**
 * One PostgreSQL version of the matrix (issue 6, point 7): starts that server (test/support/postgres-servers.ts)
 * once for the file, runs the round trip (fewer pairs than on the system server), the migra conformance and the
 * CLI lifecycle against it, and stops it. The system pg_dump (15) refuses servers newer than itself, so above 15
 * migra's convergence is judged by Keel's own diff alone.
 *
 * CI runs this on 14 and 18 (oldest and newest); 16 and 17 run with KEEL_MATRIX=all (vitest.config.ts), to keep
 * CI under 15 minutes. All four are started and version-checked in every run (test/matrix/servers.test.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import {
  type MatrixVersion,
  matrixUnavailable,
  type PostgresServer,
  startPostgres,
  warnMatrixSkipped,
} from '../postgres-servers.js'
import { lifecycleSuite } from './lifecycle.js'
import { migraSuite } from './migra.js'
import { roundTripSuite } from './round-trip.js'

/** The major version of the system pg_dump the migra suite compares dumps with. */
const SYSTEM_PG_DUMP_MAJOR = 15

export interface VersionMatrixOptions {
  /** Round-trip pairs on this version (the system server runs 200). */
  readonly roundTripRuns: number
}

export function versionMatrix(major: MatrixVersion, options: VersionMatrixOptions): void {
  const unavailable = matrixUnavailable()
  if (unavailable !== undefined) {
    warnMatrixSkipped(unavailable)
    describe.skip(`PostgreSQL ${major}: SKIPPED, ${unavailable}`, () => {
      it('round trip, migra conformance, CLI lifecycle', () => {})
    })
    return
  }
  describe(`PostgreSQL ${major}`, () => {
    let server: PostgresServer | undefined
    const url = (): string => {
      if (!server) throw new Error(`PostgreSQL ${major} is not running (its start failed above)`)
      return server.url
    }
    beforeAll(async () => {
      server = await startPostgres(major)
    })
    afterAll(async () => {
      await server?.stop()
    })

    roundTripSuite(`PostgreSQL ${major}`, url, options.roundTripRuns)
    migraSuite(`PostgreSQL ${major}`, url, { pgDump: major <= SYSTEM_PG_DUMP_MAJOR })
    lifecycleSuite(`PostgreSQL ${major}`, {
      withUrl: async (fn) => {
        const scratch = await createScratchDatabase(url(), 'keel_test')
        try {
          await fn(scratch.url)
        } finally {
          await scratch.dispose()
        }
      },
      full: true,
    })
  })
}
