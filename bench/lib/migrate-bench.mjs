import { join } from 'node:path'
import { createDatabase, dropDatabase, execSql } from './databases.mjs'
import { measureRounds } from './measure.mjs'
import { writeDrizzleConfig, writeMigrationDirs } from './migration-dirs.mjs'
import { BENCH_DIR, KEEL_BIN, peerBin } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress } from './stats.mjs'

const KNEX_PATH = join(BENCH_DIR, 'node_modules', 'knex', 'knex.js')

/**
 * Section 4: applying migrations to an empty database, cold, wall time, for Keel, the psql floors and the peers,
 * at each of `counts` (BENCH_MIGRATE_COUNTS, default 200 and 1,000) in turn: a per-run cost shows at 200, a
 * per-migration one at 1,000. Every run gets a fresh database (created and dropped outside the timing), and
 * afterwards the number of tables is checked, so a tool that "finished" without applying everything fails instead
 * of looking fast. Each count also gets a row for the best peer (the peer with the lowest median at that count),
 * so that the table says how Keel stands against the fastest of them. (`keel status` on a fully migrated database
 * is section `status`, status-bench.mjs.)
 */
export async function benchMigrate({ counts, runs, tmp, installError }) {
  const measurements = []
  for (const count of counts) measurements.push(...(await benchMigrateCount({ count, runs, tmp, installError })))
  return measurements
}

async function benchMigrateCount({ count, runs, tmp, installError }) {
  progress(`applying ${count} migrations: ${runs} runs per tool`)
  const dirs = writeMigrationDirs(join(tmp, `migrate-${count}`), count)
  await timedCommand('node', [KEEL_BIN, 'sum', '--rehash'], { cwd: dirs.keel })
  const apply = (label, run) => async () => {
    const db = await createDatabase(label)
    try {
      const ms = await run(db)
      await expectTables(db, count)
      return ms
    } finally {
      await dropDatabase(db)
    }
  }
  const tools = toolRuns(dirs, installError).map((tool) => ({ ...tool, id: migrateId(count, tool.id) }))
  const specs = tools.map((tool) => ({ ...tool, fn: tool.error ? undefined : apply(tool.label, tool.run) }))
  const measured = await measureRounds(specs, runs)
  return [...measured, bestPeer(count, measured)]
}

/** A tool's measurement id at `count` migrations: `migrate.1000.keel`. */
export function migrateId(count, tool) {
  return `migrate.${count}.${tool}`
}

/** The peer with the lowest median at `count`, as a row of its own (`migrate.<count>.best-peer`). */
function bestPeer(count, measured) {
  const peers = measured.filter((m) => m.role === 'peer' && m.medianMs !== null)
  const base = { id: migrateId(count, 'best-peer'), role: 'peer', runs: 0 }
  if (peers.length === 0) return { ...base, label: 'best peer', runsMs: [], medianMs: null, error: 'no peer ran' }
  const best = peers.reduce((a, b) => (b.medianMs < a.medianMs ? b : a))
  return { ...best, ...base, runs: best.runs, label: `best peer: ${best.label.replace(/^peer: /, '')}`, of: best.id }
}

/** Each tool's run, as `{ id, label, role, run(db) -> ms }` (`id` without the count) or `{ ..., error }` when it cannot run. */
function toolRuns(dirs, installError) {
  const knex = peerBin('knex', installError)
  const npm = peerBin('node-pg-migrate', installError)
  const drizzle = peerBin('drizzle-kit', installError)
  const psql = (db, single) => {
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...(single ? ['-1'] : []), '-d', db.url, '-f', 'all.sql']
    return timedCommand('psql', args, { cwd: dirs.psql })
  }
  const ms = (promise) => promise.then((run) => run.ms)
  // BENCH_KEEL_BASELINE=/path/to/other/keel/bin/keel.js adds that build in the same rounds (a paired comparison
  // of a change against main on a shared machine); the table shows it as a row of its own.
  const baseline = process.env.BENCH_KEEL_BASELINE
  return [
    {
      id: 'keel',
      label: 'Keel CLI: keel migrate (cold)',
      role: 'keel',
      run: (db) => ms(timedCommand('node', [KEEL_BIN, 'migrate', '--url', db.url], { cwd: dirs.keel })),
    },
    ...(baseline
      ? [
          {
            id: 'keel-baseline',
            label: `Keel CLI, baseline build ${baseline}`,
            role: 'keel',
            run: (db) => ms(timedCommand('node', [baseline, 'migrate', '--url', db.url], { cwd: dirs.keel })),
          },
        ]
      : []),
    {
      id: 'psql',
      label: 'floor: psql -v ON_ERROR_STOP=1 -f all.sql',
      role: 'floor',
      run: (db) => ms(psql(db, false)),
    },
    {
      id: 'psql-single',
      label: 'floor: psql -1 (one transaction) -f all.sql',
      role: 'floor',
      run: (db) => ms(psql(db, true)),
    },
    {
      id: 'knex',
      label: 'peer: knex migrate:latest (JS files, knex.raw)',
      role: 'peer',
      error: knex.error,
      run: (db) => ms(timedCommand(knex.path, knexArgs('migrate:latest', db, dirs), knexOptions(dirs))),
    },
    {
      id: 'node-pg-migrate',
      label: 'peer: node-pg-migrate up (SQL files)',
      role: 'peer',
      error: npm.error,
      run: (db) =>
        ms(
          timedCommand(npm.path, ['up', '-m', 'migrations'], {
            cwd: dirs.nodePgMigrate,
            env: { DATABASE_URL: db.url },
          }),
        ),
    },
    {
      id: 'drizzle-kit',
      label: 'peer: drizzle-kit migrate (SQL files, meta/_journal.json)',
      role: 'peer',
      error: drizzle.error,
      run: (db) => {
        writeDrizzleConfig(dirs.drizzle, db.url)
        return ms(timedCommand(drizzle.path, ['migrate', '--config', 'drizzle.config.json'], { cwd: dirs.drizzle }))
      },
    },
  ]
}

export function knexArgs(command, db, dirs) {
  return [command, '--client', 'pg', '--connection', db.url, '--migrations-directory', join(dirs.knex, 'migrations')]
}

// knex's CLI looks for a local knex next to the migrations; KNEX_PATH points it at bench's own.
export function knexOptions(dirs) {
  return { cwd: dirs.knex, env: { KNEX_PATH } }
}

/** Fails the run unless the tool created all `count` tables m0001... */
async function expectTables(db, count) {
  const { rows } = await execSql(
    db.url,
    "SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relname ~ '^m[0-9]{4}$'",
  )
  if (rows[0].n !== count) throw new Error(`only ${rows[0].n} of ${count} tables exist after the run`)
}
