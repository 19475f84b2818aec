/**
 * One PostgreSQL version of the matrix (issue 6, point 7): starts that server (test/support/postgres-servers.ts)
 * once for the file, runs the round trip (fewer pairs than on the system server), the migra conformance and the
 * CLI lifecycle against it, and stops it. The system pg_dump (15) refuses servers newer than itself, so above 15
 * migra's convergence is judged by Keel's own diff alone.
 *
 * Catalog differences between versions: the rich introspection fixture (every object family, and the expressions
 * and views whose printed form could differ) reads to the same model on each version as on the system 15 (and on
 * PGlite, test/integration/postgres/introspect.test.ts). Checked by hand on 14, 16, 17 and 18 on 2026-12-06: no
 * difference, so nothing in src/dialect/postgres normalises by version yet; a future difference fails here, naming
 * the version, and belongs in the dialect's normalisation.
 *
 * CI runs this on 14 and 18 (oldest and newest); 16 and 17 run with KEEL_MATRIX=all (vitest.config.ts), to keep
 * CI under 15 minutes. All four are started and version-checked in every run (test/matrix/servers.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { introspectPostgres } from '../../../src/dialect/postgres/introspect.js'
import { CROSS_VERSION_SQL, RICH_SQL } from '../../integration/postgres/introspect-fixture.js'
import { withDatabase } from '../databases.js'
import {
  type MatrixVersion,
  matrixUnavailable,
  type PostgresServer,
  startPostgres,
  warnMatrixSkipped,
} from '../postgres-servers.js'
import { suiteDialect } from './dialects.js'
import { lifecycleSuite } from './lifecycle.js'
import { migraSuite } from './migra.js'
import { roundTripSuite } from './round-trip.js'

const postgresProfile = await suiteDialect('postgres')

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
    // Off linux-x64 the binaries do not exist: what runs is the check that this is why, so the run says so
    // in a passing test's title rather than hiding the matrix behind a skipped one.
    describe(`PostgreSQL ${major}: not run here, ${unavailable}`, () => {
      it('is unavailable only because this platform has no binaries', () => {
        expect(matrixUnavailable(`${process.platform}-${process.arch}`, process.env)).toBe(unavailable)
        expect(matrixUnavailable('linux-x64', process.env)).toBeUndefined()
      })
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

    it(`introspects the rich fixture to the same model as PostgreSQL 15 (PostgreSQL ${major})`, async () => {
      // NULLS NOT DISTINCT is PostgreSQL 15's; on 14 both sides read the fixture without it.
      const sql = (RICH_SQL + CROSS_VERSION_SQL).replace(major < 15 ? /\s+nulls not distinct/g : /$^/, '')
      const read = async (conn: Connection) => {
        await conn.exec(sql)
        return introspectPostgres(conn, { excludeTables: ['keel_migrations'] })
      }
      const fifteen = await withDatabase('postgres', ({ conn }) => read(conn))
      const scratch = await createScratchDatabase(url(), 'keel_test')
      try {
        expect(await read(scratch.conn)).toStrictEqual(fifteen)
      } finally {
        await scratch.dispose()
      }
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
      dialect: postgresProfile,
    })
  })
}
