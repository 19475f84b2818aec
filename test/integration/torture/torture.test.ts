import { beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_URL, withDatabase } from '../../support/databases.js'
import { withConnection, withPgliteDir } from '../migrate/project.js'
import { assertBuilt } from '../migrate/spawn.js'
import {
  concurrentRunners,
  countersOf,
  ROWS,
  runChild,
  schemaOf,
  TAGS,
  torture,
  writeTortureProject,
} from './torture.mjs'

// The torture suite (issue 6): the runner SIGKILLed at seeded random points of migrations that mix
// transactional DDL, DML in no-transaction files, concurrent index builds, a backfill and TypeScript
// migrations, then run again until done; every statement's effect exactly once, the schema a clean
// apply's. Every fourth kill is of the CLI before any statement (its lint step, the lock); after every
// third, a tamper case of keel.sum, the files or the journal must be refused with the database untouched
// (tampers.mjs). CI runs a few kills; `node scripts/torture.mjs --kills 200` is the larger form.
// KEEL_TORTURE_SEED replays a seed; KEEL_TORTURE_KILLS sets how many kills land.
const SEED = Number(process.env.KEEL_TORTURE_SEED ?? Date.now() % 100_000)
const KILLS = Number(process.env.KEEL_TORTURE_KILLS ?? 12)
const ONCE = Object.fromEntries(TAGS.map((tag) => [tag, 1]))

beforeAll(() => assertBuilt())

describe('torture', () => {
  it(`${KILLS} SIGKILLs of the runner at random points, tamper cases between them (seed ${SEED}): every effect once, schema as a clean apply`, async () => {
    const result = await torture({ serverUrl: POSTGRES_URL, seed: SEED, kills: KILLS })
    expect(result.problems, `KEEL_TORTURE_SEED=${SEED}`).toEqual([])
    expect(result.doubles).toBe(0)
    expect(result.kills).toBe(KILLS)
    expect(result.cliKills).toBe(Math.floor((KILLS + 2) / 4))
    expect(result.tampers).toBe(Math.floor(KILLS / 3))
  }, 600_000)

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
