#!/usr/bin/env node
// Keel's benchmarks: `npm run bench` (build, then this). See bench/README.md for what each number means.
// Progress goes to stderr; the results table (Markdown) to stdout and, with everything else, to
// bench/results.json. Every database it creates is dropped at the end, also on failure or Ctrl-C.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { BENCH_DIR, ensurePeersInstalled, peerVersion, ROOT_DIR } from './lib/peers.mjs'
import { envCount, envCounts, progress } from './lib/stats.mjs'

const config = {
  runs: envCount('BENCH_RUNS', 5),
  pullRuns: envCount('BENCH_PULL_RUNS', 2),
  diffRuns: envCount('BENCH_DIFF_RUNS', 20),
  migrateRuns: envCount('BENCH_MIGRATE_RUNS', 3),
  statusRuns: envCount('BENCH_STATUS_RUNS', 10),
  tables: envCount('BENCH_TABLES', 1000),
  pullTables: envCount('BENCH_PULL_TABLES', 300),
  largeTables: envCount('BENCH_LARGE_TABLES', 10000),
  largeRuns: envCount('BENCH_LARGE_RUNS', 3),
  // BENCH_MIGRATIONS, which sized the status section alone before it measured several counts, still names one count.
  statusCounts: envCounts(
    'BENCH_STATUS_COUNTS',
    process.env.BENCH_MIGRATIONS ? [envCount('BENCH_MIGRATIONS', 1000)] : [1000, 5000, 10000],
  ),
  migrateCounts: envCounts('BENCH_MIGRATE_COUNTS', [200, 1000]).map((n) => Math.min(n, 9999)),
  onlineRows: envCount('BENCH_ONLINE_ROWS', 1_000_000),
  onlineRuns: envCount('BENCH_ONLINE_RUNS', 3),
  startupRuns: envCount('BENCH_STARTUP_RUNS', 10),
  prodGroups: envCount('BENCH_PROD_GROUPS', 100),
  prodRuns: envCount('BENCH_PROD_RUNS', 3),
  phasesRows: envCount('BENCH_PHASES_ROWS', 1_000_000),
  phasesRuns: envCount('BENCH_PHASES_RUNS', 1),
  phasesCases: process.env.BENCH_PHASES_CASES?.split(',').map((c) => c.trim()),
  phasesPlans: process.env.BENCH_PHASES_PLANS?.split(',').map((c) => c.trim()),
  phasesTrace: process.env.BENCH_PHASES_TRACE,
  sqliteRuns: envCount('BENCH_SQLITE_RUNS', 5),
  lintFiles: envCount('BENCH_LINT_FILES', 300),
  lintRuns: envCount('BENCH_LINT_RUNS', 3),
  mysqlTables: envCount('BENCH_MYSQL_TABLES', 1000),
  mysqlMigrations: Math.min(envCount('BENCH_MYSQL_MIGRATIONS', 200), 9999),
  mysqlRuns: envCount('BENCH_MYSQL_RUNS', 3),
  sections: (
    process.env.BENCH_ONLY ?? 'startup,introspect,large,diff,pull,prod,migrate,status,online,phases,sqlite,mysql,lint'
  )
    .split(',')
    .map((s) => s.trim()),
}
const resultsFile = process.env.BENCH_RESULTS ?? join(BENCH_DIR, 'results.json')

if (!existsSync(join(ROOT_DIR, 'dist', 'dialect', 'registry.js'))) {
  process.stderr.write('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`\n')
  process.exit(2)
}
const installError = ensurePeersInstalled()
// Loaded after the install check: these import pg (found in bench/ or the root) and Keel's dist/.
const db = await import('./lib/databases.mjs')
const { benchIntrospection, benchLargeIntrospection, benchPull, createSchemaDatabases, introspectOnce } = await import(
  './lib/introspect-bench.mjs'
)
const { benchDiffPlan } = await import('./lib/diff-bench.mjs')
const { benchMigrate } = await import('./lib/migrate-bench.mjs')
const { benchStatus } = await import('./lib/status-bench.mjs')
const { benchOnline } = await import('./lib/online-bench.mjs')
const { benchStartup } = await import('./lib/startup-bench.mjs')
const { benchProd } = await import('./lib/prod-bench.mjs')
const { benchPhases } = await import('./lib/phases-bench.mjs')
const { benchSqlite } = await import('./lib/sqlite-bench.mjs')
const { benchLint } = await import('./lib/lint-bench.mjs')
const { benchMysql } = await import('./lib/mysql-bench.mjs')
const { renderTable } = await import('./lib/report.mjs')
const { oneLine } = await import('./lib/measure.mjs')

const tmp = mkdtempSync(join(os.tmpdir(), 'keel-bench-'))
let cleaning
// One clean-up, however it is reached (the end, a failure, a signal during either): a second caller
// waits for the first instead of exiting half-way through it.
function cleanUp() {
  cleaning ??= db.dropAllDatabases().finally(() => rmSync(tmp, { recursive: true, force: true }))
  return cleaning
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    progress(`${signal}: dropping the benchmark databases`)
    cleanUp().finally(() => process.exit(130))
  })
}

const started = new Date()
const measurements = []
const sectionErrors = []
async function section(name, fn) {
  if (!config.sections.includes(name)) return
  try {
    await fn()
  } catch (error) {
    sectionErrors.push({ section: name, error: oneLine(error) })
    progress(`section ${name} FAILED: ${oneLine(error)}`)
  }
}

try {
  const machine = await describeMachine()
  progress(`machine: ${machine.cores} cores, ${machine.cpu}; PostgreSQL ${machine.postgres}; node ${machine.node}`)
  if (installError) progress(`peers unavailable: ${installError}`)

  await section('startup', async () => {
    measurements.push(...(await benchStartup({ runs: config.startupRuns, installError })))
  })

  if (config.sections.includes('introspect') || config.sections.includes('diff')) {
    let schemas
    try {
      const withChanged = config.sections.includes('diff')
      schemas = await createSchemaDatabases(config.tables, { withChanged })
      let from
      await section('introspect', async () => {
        const target = { url: schemas.plain.url, tables: config.tables, tmp }
        const result = await benchIntrospection(target, config.runs)
        measurements.push(...result.measurements)
        from = result.schema
      })
      await section('diff', async () => {
        from ??= await introspectOnce(schemas.plain.url)
        const to = await introspectOnce(schemas.changed.url)
        measurements.push(...(await benchDiffPlan(from, to, config.diffRuns)))
      })
    } catch (error) {
      sectionErrors.push({ section: 'introspect/diff setup', error: oneLine(error) })
      progress(`setup of the ${config.tables}-table schema FAILED: ${oneLine(error)}`)
    } finally {
      if (schemas?.plain) await db.dropDatabase(schemas.plain)
      if (schemas?.changed) await db.dropDatabase(schemas.changed)
    }
  }

  await section('large', async () => {
    measurements.push(...(await benchLargeIntrospection({ tables: config.largeTables, runs: config.largeRuns, tmp })))
  })

  await section('pull', async () => {
    const { plain } = await createSchemaDatabases(config.pullTables)
    try {
      const target = { url: plain.url, tables: config.pullTables, tmp }
      measurements.push(...(await benchPull(target, config.runs, config.pullRuns, installError)))
    } finally {
      await db.dropDatabase(plain)
    }
  })

  await section('sqlite', async () => {
    measurements.push(...(await benchSqlite({ runs: config.sqliteRuns, tmp })))
  })

  await section('mysql', async () => {
    const options = { tables: config.mysqlTables, migrations: config.mysqlMigrations, runs: config.mysqlRuns, tmp }
    measurements.push(...(await benchMysql(options)))
  })

  await section('prod', async () => {
    measurements.push(...(await benchProd({ groups: config.prodGroups, runs: config.prodRuns, tmp })))
  })

  await section('migrate', async () => {
    const options = { counts: config.migrateCounts, runs: config.migrateRuns, tmp, installError }
    measurements.push(...(await benchMigrate(options)))
  })

  await section('status', async () => {
    const options = { counts: config.statusCounts, runs: config.statusRuns, tmp, installError }
    measurements.push(...(await benchStatus(options)))
  })

  await section('online', async () => {
    measurements.push(...(await benchOnline({ rows: config.onlineRows, runs: config.onlineRuns })))
  })

  await section('lint', async () => {
    measurements.push(...(await benchLint({ dir: tmp, count: config.lintFiles, runs: config.lintRuns, installError })))
  })

  await section('phases', async () => {
    measurements.push(
      ...(await benchPhases({
        rows: config.phasesRows,
        runs: config.phasesRuns,
        only: config.phasesCases,
        plans: config.phasesPlans,
        trace: config.phasesTrace,
      })),
    )
  })

  const finished = new Date()
  const table = renderTable(config, measurements)
  const results = {
    generatedAt: finished.toISOString(),
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    durationS: Math.round((finished - started) / 1000),
    machine,
    keel: keelVersion(),
    peers: Object.fromEntries(
      ['drizzle-kit', 'drizzle-orm', 'knex', 'node-pg-migrate', 'pg', 'squawk-cli'].map((p) => [
        p,
        peerVersion(p) ?? null,
      ]),
    ),
    config,
    measurements,
    comparisons: table.rows,
    sectionErrors,
    table: table.markdown,
  }
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`\n${table.markdown}\n\n`)
  process.stdout.write(
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, node ${machine.node}${machine.nodeExtraCaCerts ? ` (NODE_EXTRA_CA_CERTS=${machine.nodeExtraCaCerts})` : ''}; ${results.durationS} s in all\n`,
  )
  for (const failure of sectionErrors) process.stdout.write(`section ${failure.section} failed: ${failure.error}\n`)
  progress(`wrote ${resultsFile}`)
  const keelFailed = measurements.some((m) => m.role === 'keel' && m.error) || sectionErrors.length > 0
  process.exitCode = keelFailed ? 1 : 0
} finally {
  await cleanUp()
}

async function describeMachine() {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    // Every Node process of the run (Keel, the Node peers, `node -e 0`) loads this bundle at start: ~35 ms each on a
    // machine where it is the system's 220 kB bundle, which psql and pg_dump do not pay. Recorded, not removed: the
    // run measures the machine as it is.
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS || null,
    postgres: await db.serverVersion(),
    pgDump: commandOutput('pg_dump', ['--version']),
  }
}

function keelVersion() {
  const version = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')).version
  return { version, commit: commandOutput('git', ['-C', ROOT_DIR, 'rev-parse', '--short', 'HEAD']) }
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}
