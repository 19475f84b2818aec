// The torture suite's engine, plain JavaScript over dist/ so that the CI test (torture.test.ts) and the
// hand-run larger form (`node scripts/torture.mjs --kills 200`) share it. It SIGKILLs the runner
// (migrate-child.mjs, the same migrate() that `keel migrate` runs) at seeded random points in a set of
// migrations that mixes transactional DDL, DML in no-transaction files, concurrent index builds, a
// batched backfill and TypeScript migrations, runs it again until it finishes, and then compares the
// database with a clean apply: `pg_dump --schema-only` equal, and a ledger that every statement with an
// effect writes a tagged row into, so a statement that ran twice shows as a tag counted twice. Some kills are of
// the CLI before any statement runs, and tamper cases (tampers.mjs) are tried between kills.
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { fingerprint, journalRows, quiesce, TAMPERS } from './tampers.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const REPO = resolve(HERE, '../../..')
const CHILD = join(HERE, 'migrate-child.mjs')
const BIN = join(REPO, 'bin', 'keel.js')
/** The `keel` processes' node flags: test/support/cli.ts's KEEL_NODE_FLAGS, which says why (this file is plain JS). */
const NODE_FLAGS = ['--liftoff-only']
const run = promisify(execFile)

/** mulberry32: a small seeded PRNG, so that a failing seed replays the same kill points. */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Every tag the migrations write into `ledger`, each exactly once in a correct apply. */
export const TAGS = ['m1', 'm2a', 'm2b', 'm2c', 'm3', 'm4', 'm5a', 'm5b', 'm6', 'm7a', 'm7b']

/** Rows the backfill updates (each must end with hits = 1). */
export const ROWS = 3000

/** The migrations, by folder name. `pglite`: without CONCURRENTLY builds' server-only timing. */
export function tortureMigrations() {
  const sleep = (s) => `select pg_sleep(${s});`
  return {
    '20260101000000_base': {
      'up.sql': [
        'create table ledger (tag text not null, at timestamptz not null default clock_timestamp());',
        'create table t (id int primary key, a int not null, hits int not null default 0);',
        `insert into t (id, a) select g, g % 97 from generate_series(1, ${ROWS}) g;`,
        sleep(0.05),
        "insert into ledger (tag) values ('m1');",
        '',
      ].join('\n'),
    },
    '20260102000000_no_tx_mix': {
      'up.sql': [
        '-- keel:no-transaction',
        "insert into ledger (tag) select 'm2a' from pg_sleep(0.05);",
        'alter table t add column b int;',
        'create index concurrently t_a_idx on t (a);',
        "insert into ledger (tag) select 'm2b' from pg_sleep(0.05);",
        'update t set b = a * 2 where id <= 100;',
        "insert into ledger (tag) values ('m2c');",
        'vacuum t;',
        '',
      ].join('\n'),
    },
    '20260103000000_backfill': {
      'up.sql': [
        '-- keel:phase backfill',
        '-- keel:no-transaction',
        '-- keel:batch-size 400',
        'update t set hits = hits + 1;',
        "insert into ledger (tag) values ('m3');",
        '',
      ].join('\n'),
    },
    '20260104000000_ts_tx': {
      'migration.ts': [
        'export async function up(db) {',
        "  await db.exec('create table u (id int primary key, t_id int not null references t (id))')",
        "  await db.exec('insert into u select id, id from t where id <= 50')",
        "  await db.exec('select pg_sleep(0.05)')",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's source text, whose tagged template binds the value
        "  await db.sql`insert into ledger (tag) values (${'m4'})`",
        '}',
        '',
      ].join('\n'),
    },
    '20260105000000_tx_ddl': {
      'up.sql': [
        "alter table t add column c text not null default 'x';",
        'create index t_hits_idx on t (hits);',
        "insert into ledger (tag) values ('m5a');",
        sleep(0.05),
        'create view v as select id, a, c from t where hits = 1;',
        "insert into ledger (tag) values ('m5b');",
        '',
      ].join('\n'),
    },
    '20260106000000_ts_apply': {
      'migration.ts': [
        'export async function up(db) {',
        "  await db.apply([{ kind: 'createIndex', table: { schema: 'public', name: 'u' },",
        "    index: { name: 'u_t_id_idx', parts: [{ column: 't_id' }], unique: false, include: [] } }])",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's source text, whose tagged template binds the value
        "  await db.sql`insert into ledger (tag) values (${'m6'})`",
        '}',
        '',
      ].join('\n'),
    },
    '20260107000000_no_tx_tail': {
      'up.sql': [
        '-- keel:no-transaction',
        'create unique index concurrently u_id_t_id_idx on u (id, t_id);',
        "insert into ledger (tag) select 'm7a' from pg_sleep(0.03);",
        'alter table u add column note text;',
        "update u set note = 'n' || id;",
        "insert into ledger (tag) values ('m7b');",
        '',
      ].join('\n'),
    },
  }
}

/** Writes the migrations and their keel.sum into a new temporary directory; returns its path. */
export async function writeTortureProject() {
  const root = mkdtempSync(join(tmpdir(), 'keel-torture-'))
  const migrations = join(root, 'migrations')
  for (const [id, files] of Object.entries(tortureMigrations())) {
    mkdirSync(join(migrations, id), { recursive: true })
    for (const [name, text] of Object.entries(files)) writeFileSync(join(migrations, id, name), text)
  }
  const { readMigrationsDirectory } = await import('../../../dist/migrate/directory.js')
  const { writeSum } = await import('../../../dist/migrate/keel-sum.js')
  writeSum(readMigrationsDirectory(migrations))
  writeFileSync(join(root, 'keel.config.mjs'), 'export default { migrations: "migrations" }\n')
  return {
    root,
    migrations,
    config: join(root, 'keel.config.mjs'),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  }
}

/**
 * Runs migrate-child.mjs once; with `killAfterMs`, SIGKILLs it that long after it says `go` (its first
 * migration starts). Resolves with how it ended: `killed`, `done` (with the ms from `go`), or `failed`
 * (with its stderr).
 */
export function runChild(url, migrations, killAfterMs) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CHILD, url, migrations], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timer
    let goAt
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk)
      if (goAt === undefined && stdout.includes('go\n')) {
        goAt = Date.now()
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
    })
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL') resolvePromise({ kind: 'killed' })
      else if (code === 0 && stdout.includes('done\n')) resolvePromise({ kind: 'done', ms: Date.now() - (goAt ?? 0) })
      else resolvePromise({ kind: 'failed', stderr: stderr || `exit ${code} ${signal ?? ''}` })
    })
  })
}

/** Runs `node bin/keel.js migrate` on a project (for PGlite directories, where the CLI is the runner). */
export function runKeelMigrate(project, url) {
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      [...NODE_FLAGS, BIN, 'migrate', '--json', '--config', project.config, '--url', url],
      {
        cwd: project.root,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk)
    })
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk)
    })
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }))
  })
}

/** `pg_dump --schema-only`, normalised (comments, SET lines and the journal's rows aside). */
export async function schemaOf(url) {
  const { stdout } = await run('pg_dump', ['--schema-only', '--no-owner', url], { maxBuffer: 64 << 20 })
  return stdout
    .split('\n')
    .filter((line) => !/^\s*--/.test(line) && !/^SET /.test(line) && !/^SELECT pg_catalog\.set_config/.test(line))
    .filter((line) => !/^\\(un)?restrict /.test(line) && line.trim() !== '')
    .join('\n')
}

/** What the counters say: tag → count, the backfill's hits histogram, the journal's states. */
export async function countersOf(conn) {
  const tags = await conn.query('select tag, count(*)::int as n from ledger group by tag order by tag')
  const hits = await conn.query('select hits, count(*)::int as n from t group by hits order by hits')
  const journal = await conn.query('select version, status from keel_migrations order by version')
  return {
    tags: Object.fromEntries(tags.map((r) => [r.tag, r.n])),
    hits: Object.fromEntries(hits.map((r) => [r.hits, r.n])),
    journal: journal.map((r) => `${r.version}:${r.status}`),
  }
}

/** Tags counted more than once, and backfilled rows updated more than once: the double applications. */
export function doublesIn(counters) {
  const tags = Object.entries(counters.tags).filter(([, n]) => n > 1)
  const rows = Object.entries(counters.hits)
    .filter(([hits]) => Number(hits) > 1)
    .reduce((sum, [, n]) => sum + n, 0)
  return { tags: tags.map(([tag, n]) => `${tag}×${n}`), rows }
}

/**
 * Runs `keel migrate` (the CLI: config, lint of the pending migrations with live facts, then the runner) and,
 * with `killAfterMs`, SIGKILLs it that long after it says `migrating` (before its lint step), so that the kill
 * lands before any statement runs: in the lint, the lock, the journal's first reads. Resolves as runChild does;
 * a kill also says where it landed (`lint`, before the first `applying` line, or `statements`) and, for a run
 * that finished, the ms from `migrating` to the first `applying` and from there to the end.
 */
export function runCli(url, project, killAfterMs) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, BIN, 'migrate', '--config', project.config, '--url', url], {
      cwd: project.root,
      env: { ...process.env, NO_COLOR: '1', KEEL_QUIET: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    let timer
    let migratingAt
    let applyingAt
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk)
      if (migratingAt === undefined && /^migrating /m.test(stderr)) {
        migratingAt = Date.now()
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
      if (applyingAt === undefined && /^applying /m.test(stderr)) applyingAt = Date.now()
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL')
        resolvePromise({ kind: 'killed', phase: applyingAt === undefined ? 'lint' : 'statements' })
      else if (code === 0)
        resolvePromise({
          kind: 'done',
          lintMs: (applyingAt ?? Date.now()) - (migratingAt ?? Date.now()),
          ms: Date.now() - (applyingAt ?? Date.now()),
        })
      else resolvePromise({ kind: 'failed', stderr: stderr || `exit ${code} ${signal ?? ''}` })
    })
  })
}

/**
 * The torture loop on a PostgreSQL server. For each episode: a fresh database; the runner started and
 * SIGKILLed at a random point (seeded), again and again, until a run finishes; then schema and counters
 * compared with the clean apply. Stops when `kills` kills have landed.
 *
 * Every fourth kill (the 2nd, 6th, ...) is of the CLI, timed to land before any statement runs (its lint step,
 * the lock, the journal's first reads); the others are of the runner alone, spread over a clean run's span.
 * After every third kill, with the database half-migrated, a tamper case (tampers.mjs) picked at random among
 * those that apply edits keel.sum, a migration or the journal: the runner must refuse with the case's error code
 * and leave the database as it was; the case is then undone and the episode goes on.
 *
 * Returns the totals and every mismatch found (empty when Keel held).
 */
export async function torture({ serverUrl, seed, kills, log = () => {} }) {
  const { createScratchDatabase } = await import('../../../dist/db/scratch.js')
  const { readMigrationsDirectory } = await import('../../../dist/migrate/directory.js')
  const { writeSum } = await import('../../../dist/migrate/keel-sum.js')
  const { Journal } = await import('../../../dist/migrate/journal.js')
  const random = prng(seed)
  const project = await writeTortureProject()
  const ids = Object.fromEntries(Object.keys(tortureMigrations()).map((id) => [id.slice(0, 14), id]))
  const problems = []
  const totals = { kills: 0, episodes: 0, doubles: 0, misses: 0, cliKills: 0, lintKills: 0, tampers: 0 }
  const tamperNames = {}
  try {
    // The clean apply, through the CLI: the reference state, and the spans kills are drawn from.
    const clean = await createScratchDatabase(serverUrl, 'keel_torture')
    let span
    let lintSpan
    let reference
    try {
      const first = await runCli(clean.url, project)
      if (first.kind !== 'done') throw new Error(`the clean apply failed: ${first.stderr}`)
      span = Math.max(200, first.ms)
      lintSpan = Math.max(50, first.lintMs)
      reference = { schema: await schemaOf(clean.url), counters: await countersOf(clean.conn) }
    } finally {
      await clean.dispose()
    }
    const expectedTags = Object.fromEntries(TAGS.map((tag) => [tag, 1]))
    if (JSON.stringify(reference.counters.tags) !== JSON.stringify(expectedTags))
      problems.push(`clean apply ledger: ${JSON.stringify(reference.counters.tags)}`)
    while (totals.kills < kills) {
      totals.episodes++
      const episode = totals.episodes
      const db = await createScratchDatabase(serverUrl, 'keel_torture')
      try {
        let episodeKills = 0
        for (let attempt = 0; ; attempt++) {
          const planned = totals.kills < kills && attempt < 40
          const next = totals.kills + 1
          const result =
            planned && next % 4 === 2
              ? await runCli(db.url, project, Math.floor(random() * lintSpan))
              : await runChild(db.url, project.migrations, planned ? Math.floor(random() * span) : undefined)
          if (result.kind === 'killed') {
            totals.kills++
            episodeKills++
            if (result.phase !== undefined) totals.cliKills++
            if (result.phase === 'lint') totals.lintKills++
            if (totals.kills % 3 === 0) {
              const ensureJournal = () => new Journal(db.conn, 'public').ensure()
              const ctx = { conn: db.conn, migrations: project.migrations, ids, rehash, addFolder, ensureJournal }
              const found = await tamperCheck(ctx, db.url, random)
              totals.tampers++
              tamperNames[found.name] = (tamperNames[found.name] ?? 0) + 1
              for (const problem of found.problems) problems.push(`seed ${seed} episode ${episode}: ${problem}`)
            }
            continue
          }
          if (result.kind === 'failed') {
            problems.push(`seed ${seed} episode ${episode} run ${attempt + 1}: ${result.stderr.trim().split('\n')[0]}`)
            break
          }
          if (planned) {
            totals.misses++
            // A whole run from scratch finished before its kill: the clean run's span (measured once, maybe on
            // a slower moment) overshoots, and every such miss costs an episode; draw from this run's length.
            if (attempt === 0 && result.ms !== undefined) span = Math.max(200, Math.min(span, result.ms))
          }
          break
        }
        const counters = await countersOf(db.conn).catch((error) => ({ error: String(error) }))
        const schema = await schemaOf(db.url)
        if ('error' in counters) {
          problems.push(`seed ${seed} episode ${episode}: ${counters.error}`)
          continue
        }
        const found = doublesIn(counters)
        totals.doubles += found.tags.length + found.rows
        if (found.tags.length > 0 || found.rows > 0)
          problems.push(
            `seed ${seed} episode ${episode}: ran twice: ${[...found.tags, `${found.rows} rows`].join(', ')}`,
          )
        if (JSON.stringify(counters) !== JSON.stringify(reference.counters))
          problems.push(`seed ${seed} episode ${episode}: counters ${JSON.stringify(counters)}`)
        if (schema !== reference.schema)
          problems.push(`seed ${seed} episode ${episode}: schema differs from a clean apply`)
        log(`episode ${episode}: ${episodeKills} kills (total ${totals.kills}), doubles so far ${totals.doubles}`)
      } finally {
        await db.dispose()
      }
    }
  } finally {
    project.dispose()
  }
  return { ...totals, tamperNames, problems }

  function rehash() {
    writeSum(readMigrationsDirectory(project.migrations))
  }
  function addFolder(id, files) {
    const dir = join(project.migrations, id)
    mkdirSync(dir)
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    return () => rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * One tamper case on a half-migrated database (see tampers.mjs): picked at random among those that apply,
 * made, the runner run once, checked (refused with the case's code, the database as it was), and undone.
 */
export async function tamperCheck(ctx, url, random, only = TAMPERS) {
  await quiesce(ctx.conn)
  const rows = await journalRows(ctx.conn)
  const cases = only.map((tamper) => ({ tamper, row: tamper.when(rows) })).filter((c) => c.row !== undefined)
  if (cases.length === 0) return { name: 'none applies', problems: [] }
  const { tamper, row } = cases[Math.floor(random() * cases.length)]
  const problems = []
  const undo = await tamper.apply(ctx, row)
  try {
    const before = await fingerprint(ctx.conn)
    const result = await runChild(url, ctx.migrations)
    if (result.kind !== 'failed' || !result.stderr.includes(`error[${tamper.code}]`))
      problems.push(
        `${tamper.name}: expected error[${tamper.code}], got ${result.kind === 'failed' ? result.stderr.trim().split('\n')[0] : result.kind}`,
      )
    await quiesce(ctx.conn)
    if ((await fingerprint(ctx.conn)) !== before) problems.push(`${tamper.name}: the refused run changed the database`)
  } finally {
    await undo()
  }
  return { name: tamper.name, problems }
}

/**
 * `runners` runners at once on one database (a server URL: migrate-child processes; a `pglite:DIR`
 * URL: `keel migrate` processes, each opening the directory). Returns how each ended and the counters.
 */
export async function concurrentRunners(url, runners) {
  const project = await writeTortureProject()
  try {
    const pglite = url.startsWith('pglite:')
    const results = await Promise.all(
      Array.from({ length: runners }, () =>
        pglite ? runKeelMigrate(project, url) : runChild(url, project.migrations),
      ),
    )
    return { results, project }
  } catch (error) {
    project.dispose()
    throw error
  }
}
