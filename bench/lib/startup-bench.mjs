import { measureRounds } from './measure.mjs'
import { BENCH_DIR, KEEL_BIN, peerBin } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress } from './stats.mjs'

/**
 * Cold start of the CLI where no database is involved: `keel --version` and `keel --help` against
 * `node -e 0` (the floor: the runtime starting and doing nothing) and the peers' own `--version`.
 */
export async function benchStartup({ runs, installError }) {
  progress(`CLI start-up: ${runs} runs each`)
  const cold = (id, label, role, command, args, error) => ({
    id,
    label,
    role,
    ...(error ? { error } : {}),
    fn: async () => (await timedCommand(command, args, { cwd: BENCH_DIR })).ms,
  })
  const knex = peerBin('knex', installError)
  const drizzle = peerBin('drizzle-kit', installError)
  const npm = peerBin('node-pg-migrate', installError)
  return measureRounds(
    [
      cold('startup.keel-version', 'Keel CLI: keel --version (cold)', 'keel', 'node', [KEEL_BIN, '--version']),
      cold('startup.keel-help', 'Keel CLI: keel --help (cold)', 'keel', 'node', [KEEL_BIN, '--help']),
      cold('startup.node', 'floor: node -e 0', 'floor', 'node', ['-e', '0']),
      cold('startup.knex', 'peer: knex --version', 'peer', knex.path, ['--version'], knex.error),
      cold('startup.drizzle-kit', 'peer: drizzle-kit --version', 'peer', drizzle.path, ['--version'], drizzle.error),
      cold('startup.node-pg-migrate', 'peer: node-pg-migrate --help', 'peer', npm.path, ['--help'], npm.error),
    ],
    runs,
  )
}
