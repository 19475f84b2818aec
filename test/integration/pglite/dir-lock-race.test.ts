/**
 * The PGlite directory lock is atomic: processes racing to take over a dead holder's lock file end with
 * exactly one holder. Before, taking over was check-then-delete and 4 of 40 such trials had two or three.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, expect, it } from 'vitest'

const LOCK_MODULE = resolve(import.meta.dirname, '../../../dist/db/drivers/pglite-dir-lock.js')
const TRIALS = Number(process.env.KEEL_LOCK_RACE_TRIALS ?? 8)
const RACERS = 5
const root = mkdtempSync(join(tmpdir(), 'keel-lock-race-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Takes the lock without waiting, holds it a moment, and says whether it got it. */
const RACER = `
const { lockPgliteDir } = await import(process.argv[1])
await new Promise((r) => setTimeout(r, Math.max(0, Number(process.argv[3]) - Date.now())))
try {
  const release = await lockPgliteDir(process.argv[2], { applicationName: 'racer', waitMs: 0 })
  process.stdout.write('held')
  // Hold until every racer has answered (the test closes stdin), so that no late starter finds it free.
  process.stdin.resume()
  await new Promise((r) => process.stdin.on('end', r))
  release()
} catch (error) {
  process.stdout.write(error.code === 'LOCK_TIMEOUT' ? 'refused' : 'error ' + error.message)
}
`

async function race(dir: string, startAt: number): Promise<{ outcome: string; finish: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RACER, LOCK_MODULE, dir, String(startAt)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const closed = new Promise<void>((done) => child.on('close', () => done()))
  const outcome = await new Promise<string>((done) => {
    child.stdout.once('data', (chunk) => done(String(chunk)))
    child.on('close', () => done('no answer'))
  })
  return {
    outcome,
    finish: () => {
      child.stdin.end()
      return closed
    },
  }
}

it(`racing takeovers of a dead holder's lock leave one holder (${TRIALS} trials of ${RACERS} processes)`, async () => {
  expect(existsSync(LOCK_MODULE), 'run `npm run build` first').toBe(true)
  const dead = spawnSync(process.execPath, ['-e', '0']).pid as number
  const outcomes: string[][] = []
  for (let trial = 0; trial < TRIALS; trial++) {
    const dir = mkdtempSync(join(root, 'db-'))
    const record = { pid: dead, host: hostname(), applicationName: 'dead', since: new Date().toISOString() }
    writeFileSync(join(dir, 'keel.lock'), `${JSON.stringify(record)}\n`)
    // All racers wake at one moment, after their (slow) start, to make the interleaving likely.
    const startAt = Date.now() + 1500
    const racers = await Promise.all(Array.from({ length: RACERS }, () => race(dir, startAt)))
    await Promise.all(racers.map((racer) => racer.finish()))
    outcomes.push(racers.map((racer) => racer.outcome))
  }
  for (const outcome of outcomes) {
    expect(
      outcome.filter((o) => o === 'held'),
      JSON.stringify(outcome),
    ).toHaveLength(1)
    expect(outcome.filter((o) => o !== 'held' && o !== 'refused')).toEqual([])
  }
})
