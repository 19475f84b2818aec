import { join } from 'node:path'
import { createDatabase, dropDatabase } from './databases.mjs'
import { measureRounds } from './measure.mjs'
import { knexArgs, knexOptions } from './migrate-bench.mjs'
import { writeMigrationDirs } from './migration-dirs.mjs'
import { KEEL_BIN, peerBin } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress } from './stats.mjs'

/**
 * `keel status` cold against a database with every migration applied, at each count of `counts` (1,000, 5,000 and
 * 10,000 by default: status must not grow with the history a project keeps), beside the floors of reading the
 * journal with psql and of Node starting (`node -e 0`), and the one peer here that has a status command,
 * `knex migrate:status`. Its own section (`BENCH_ONLY=status`): the databases are migrated once, outside the timing.
 * Ids carry the count, as the migrate section's do: `status.5000.keel`.
 *
 * Keel's status prints again the report it recorded when neither the folders, keel.sum nor the journal changed
 * (src/migrate/status-snapshot.ts): `status.N.keel` is that case, after one untimed run has recorded it.
 * `status.N.keel-changed` is the first status after the journal changed (as after a migrate or another runner):
 * before each of its runs, untimed, one row's duration is bumped, so the server's digest differs and every row is
 * sent, parsed and made into states again.
 */
export async function benchStatus({ counts, runs, tmp, installError }) {
  const measurements = []
  for (const count of counts) measurements.push(...(await benchStatusAt({ count, runs, tmp, installError })))
  return measurements
}

async function benchStatusAt({ count, runs, tmp, installError }) {
  progress(`status with ${count} applied migrations: ${runs} runs each`)
  const dirs = writeMigrationDirs(join(tmp, `status-${count}`), count, { knexWithoutTransaction: true })
  await timedCommand('node', [KEEL_BIN, 'sum', '--rehash'], { cwd: dirs.keel })
  const keelDb = await createDatabase(`status_keel_${count}`)
  const knex = peerBin('knex', installError)
  let knexDb
  try {
    await timedCommand('node', [KEEL_BIN, 'migrate', '--url', keelDb.url], { cwd: dirs.keel })
    let knexError = knex.error
    if (!knexError) {
      knexDb = await createDatabase(`status_knex_${count}`)
      await timedCommand(knex.path, knexArgs('migrate:latest', knexDb, dirs), knexOptions(dirs)).catch((error) => {
        knexError = `knex migrate:latest failed: ${error.message}`
      })
    }
    const ms = (promise) => promise.then((run) => run.ms)
    const keelStatus = () => timedCommand('node', [KEEL_BIN, 'status', '--url', keelDb.url], { cwd: dirs.keel })
    // Records the report the unchanged case reprints: the first run is not that case.
    await keelStatus()
    const bumpOneRow = () =>
      timedCommand('psql', [
        '-X',
        '-q',
        '-d',
        keelDb.url,
        '-c',
        'UPDATE keel_migrations SET duration_ms = duration_ms + 1 WHERE version = (SELECT min(version) FROM keel_migrations)',
      ])
    return await measureRounds(
      [
        {
          id: statusId('keel', count),
          label: `Keel CLI: keel status, ${count} applied (cold, nothing changed since the last status)`,
          role: 'keel',
          fn: () => ms(keelStatus()),
        },
        {
          id: statusId('keel-changed', count),
          label: `Keel CLI: keel status, ${count} applied (cold, journal changed since the last status)`,
          role: 'keel',
          fn: async () => {
            await bumpOneRow()
            return await ms(keelStatus())
          },
        },
        {
          id: statusId('psql', count),
          label: `floor: psql -c "select ... from keel_migrations", ${count} rows`,
          role: 'floor',
          fn: () =>
            ms(
              timedCommand('psql', [
                '-X',
                '-q',
                '-At',
                '-d',
                keelDb.url,
                '-c',
                'SELECT version, checksum, status FROM keel_migrations ORDER BY version',
              ]),
            ),
        },
        {
          id: statusId('node', count),
          label: 'floor: node -e 0 (Node starting)',
          role: 'floor',
          fn: () => ms(timedCommand('node', ['-e', '0'], { cwd: dirs.keel })),
        },
        {
          id: statusId('knex', count),
          label: `peer: knex migrate:status, ${count} applied (cold)`,
          role: 'peer',
          error: knexError,
          fn: () => ms(timedCommand(knex.path, knexArgs('migrate:status', knexDb, dirs), knexOptions(dirs))),
        },
      ],
      runs,
    )
  } finally {
    await dropDatabase(keelDb)
    if (knexDb) await dropDatabase(knexDb)
  }
}

/** The id of a status row at `count` applied migrations: `status.5000.keel`. */
function statusId(tool, count) {
  return `status.${count}.${tool}`
}
