/**
 * Runners started at once on the torture suite's migrations (torture.mjs): on a server and on one PGlite
 * directory, each migration runs once and the result is what one runner leaves. A file of its own, beside
 * torture.test.ts (the SIGKILL loop), so that the two run in parallel in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { withDatabase } from '../../support/databases.js'
import { withConnection, withPgliteDir } from '../migrate/project.js'
import { assertBuilt } from '../migrate/spawn.js'
import { concurrentRunners, countersOf, ROWS, runChild, schemaOf, TAGS, writeTortureProject } from './torture.mjs'

const ONCE = Object.fromEntries(TAGS.map((tag) => [tag, 1]))

beforeAll(() => assertBuilt())

describe('torture: concurrent runners', () => {
  it('4 runners at once on a server: each migration once, the schema as one runner leaves it', async () => {
    await withDatabase('postgres', async ({ url: cleanUrl }) => {
      const project = await writeTortureProject()
      try {
        expect((await runChild(cleanUrl, project.migrations)).kind).toBe('done')
      } finally {
        project.dispose()
      }
      await withDatabase('postgres', async ({ url, conn }) => {
        const { results, project: racing } = await concurrentRunners(url, 4)
        racing.dispose()
        expect(results.map((r) => ('kind' in r ? r.kind : r.code))).toEqual(['done', 'done', 'done', 'done'])
        const counters = await countersOf(conn)
        expect(counters.tags).toEqual(ONCE)
        expect(counters.hits).toEqual({ 1: ROWS })
        expect(await schemaOf(url)).toBe(await schemaOf(cleanUrl))
      })
    })
  }, 300_000)

  it('3 `keel migrate` at once on one PGlite directory: each migration once', async () => {
    await withPgliteDir(async (url) => {
      const { results, project } = await concurrentRunners(url, 3)
      project.dispose()
      for (const r of results) expect('code' in r ? r.code : r, 'code' in r ? r.stderr : '').toBe(0)
      const counters = await withConnection(url, (conn) => countersOf(conn))
      expect(counters.tags).toEqual(ONCE)
      expect(counters.hits).toEqual({ 1: ROWS })
      expect(counters.journal.every((row) => row.endsWith(':applied'))).toBe(true)
      expect(counters.journal).toHaveLength(7)
    })
  }, 300_000)
})
