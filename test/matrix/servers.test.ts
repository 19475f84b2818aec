/**
 * The version matrix's servers (test/support/postgres-servers.ts) start, answer as the version they
 * claim, and stop. A server that cannot start fails here, by name, instead of skipping anything.
 */
import { describe, expect, it } from 'vitest'
import { MATRIX_VERSIONS, startPostgres } from '../support/postgres-servers.js'

describe.each(MATRIX_VERSIONS)('PostgreSQL %i from npm', (major) => {
  it('starts on a free port, reports its version, and stops', async () => {
    const server = await startPostgres(major)
    try {
      expect(server.version).toMatch(new RegExp(`^PostgreSQL ${major}\\.`))
      expect(Math.floor(server.versionNum / 10_000)).toBe(major)
    } finally {
      await server.stop()
    }
  })
})
