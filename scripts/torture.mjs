// The torture suite's larger form, run by hand: `npm run build && node scripts/torture.mjs --kills 200 [--seed N]`.
// SIGKILLs the runner at seeded random points until that many kills have landed (every fourth of the CLI, before
// any statement), tries a tamper case after every third, and prints the kills, the double applications found (a
// ledger tag or backfilled row counted twice), the tamper cases tried and every mismatch.
import { parseArgs } from 'node:util'
import { torture } from '../test/integration/torture/torture.mjs'

const { values } = parseArgs({
  options: { kills: { type: 'string' }, seed: { type: 'string' }, url: { type: 'string' } },
})
const kills = Number(values.kills ?? process.env.KEEL_TORTURE_KILLS ?? 200)
const seed = Number(values.seed ?? process.env.KEEL_TORTURE_SEED ?? Date.now() % 100_000)
const serverUrl = values.url ?? process.env.KEEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const started = Date.now()
const result = await torture({ serverUrl, seed, kills, log: (line) => console.log(line) })
console.log(
  `seed ${seed}: ${result.kills} kills (${result.cliKills} of the CLI, ${result.lintKills} of them before any statement) in ${result.episodes} episodes, ${result.doubles} double applications, ${result.tampers} tamper cases, ${result.problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s`,
)
for (const [name, n] of Object.entries(result.tamperNames)) console.log(`  tamper ×${n}: ${name}`)
for (const problem of result.problems) console.log(`  ${problem}`)
process.exitCode = result.problems.length === 0 && result.doubles === 0 ? 0 : 1
