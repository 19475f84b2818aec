import { beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_URL } from '../../support/databases.js'
import { assertBuilt } from '../migrate/spawn.js'
import { torture } from './torture.mjs'

// The torture suite (issue 6): the runner SIGKILLed at seeded random points of migrations that mix
// transactional DDL, DML in no-transaction files, concurrent index builds, a backfill and TypeScript
// migrations, then run again until done; every statement's effect exactly once, the schema a clean
// apply's. Every fourth kill is of the CLI before any statement (its lint step, the lock); after every
// third, a tamper case of keel.sum, the files or the journal must be refused with the database untouched
// (tampers.mjs). CI runs a few kills; `node scripts/torture.mjs --kills 200` is the larger form.
// KEEL_TORTURE_SEED replays a seed; KEEL_TORTURE_KILLS sets how many kills land. Concurrent runners on the same
// migrations are concurrent-runners.test.ts, a file of its own so that it runs beside this one in CI.
const SEED = Number(process.env.KEEL_TORTURE_SEED ?? Date.now() % 100_000)
const KILLS = Number(process.env.KEEL_TORTURE_KILLS ?? 12)

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
})
