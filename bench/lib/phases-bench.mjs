import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openDatabase } from '../../dist/db/open.js'
import { getDialect } from '../../dist/dialect/registry.js'
import { diff } from '../../dist/diff/diff.js'
import { writeMigration } from '../../dist/migrate/new-migration.js'
import { renderMigrations } from '../../dist/migrate/render-migration.js'
import { planPhases } from '../../dist/plan/phases.js'
import { directPolicy, safePolicy } from '../../dist/plan/policy.js'
import { applyPlan } from '../../dist/source/apply-plan.js'
import { ADMIN_URL, createDatabase, dropDatabase, execSql, serverVersionNumber } from './databases.mjs'
import { checkpointerSql, walSql } from './server-stats.mjs'
import { progress } from './stats.mjs'

const TABLE_SQL = `
create table teams (id int primary key);
create table users (
  id bigint generated always as identity primary key,
  first_name text not null,
  last_name text not null,
  email text not null,
  age int,
  team_id int
);
create table accounts (
  id int generated always as identity primary key,
  name text not null
);
create table sessions (
  id bigint generated always as identity primary key,
  account_id int not null references accounts (id)
);`
// accounts and sessions are filled only when the primary-key case runs (a 4M-row run of the other cases skips them).
const START_SQL = (rows, accounts) => `${TABLE_SQL}
insert into teams select generate_series(1, 100);
insert into users (first_name, last_name, email, age, team_id)
  select 'F' || i, 'L' || i, 'u' || i || '@x', i % 90, i % 100 + 1 from generate_series(1, ${rows}) as i;
${
  accounts
    ? `insert into accounts (name) select 'a' || i from generate_series(1, ${rows}) as i;
insert into sessions (account_id) select 1 + i % ${rows} from generate_series(1, ${Math.max(1, Math.floor(rows / 10))}) as i;`
    : ''
}
analyze teams, users, accounts, sessions;`

/** The writes of a release that does not see the change (the table's columns stay as they are for it). */
const PLAIN_WRITES = [
  'insert into users (first_name, last_name, email, age) values ($1, $1, $1, 1)',
  'update users set age = age + 1, last_name = $1 where id = $2',
]

/** Writes to accounts and the sessions that reference them (ids drawn from the identities). */
const ACCOUNT_WRITES = [
  'with a as (insert into accounts (name) values ($1) returning id) insert into sessions (account_id) select id from a',
  'update accounts set name = $1 where id = $2',
]

/**
 * The changes that break a running release when done in one step (issue 7), each with the writes of the old
 * release (old names) and of the new one (new names). `hint` adds the schema's hint to the goal.
 */
const CASES = [
  // Changes Keel plans in one migration, online-safe (issue 7 item 0: the runner commits around VALIDATE).
  {
    id: 'fk',
    label: 'add FK',
    goal: (sql) => sql.replace('team_id int', 'team_id int references teams (id)'),
    hint: () => {},
    old: PLAIN_WRITES,
    new: PLAIN_WRITES,
  },
  {
    id: 'check',
    label: 'add check',
    goal: (sql) => sql.replace('age int,', 'age int check (age >= 0),'),
    hint: () => {},
    old: PLAIN_WRITES,
    new: PLAIN_WRITES,
  },
  {
    id: 'notnull',
    label: 'set NOT NULL',
    goal: (sql) => sql.replace('age int,', 'age int not null,'),
    hint: () => {},
    old: PLAIN_WRITES,
    new: PLAIN_WRITES,
  },
  {
    id: 'index',
    label: 'add index',
    goal: (sql) => `${sql}\ncreate index users_age_idx on users (age);`,
    hint: () => {},
    old: PLAIN_WRITES,
    new: PLAIN_WRITES,
  },
  {
    id: 'unique',
    label: 'add unique',
    goal: (sql) => sql.replace('email text not null', 'email text not null unique'),
    hint: () => {},
    old: PLAIN_WRITES,
    new: PLAIN_WRITES,
  },
  {
    // A NOT NULL column without a default on a table with rows: the naive ADD COLUMN fails; Keel adds it
    // nullable, fills it from the backfill hint (trigger, then batches) and sets NOT NULL through a check.
    id: 'notnullcol',
    label: 'add NOT NULL column',
    goal: (sql) => sql.replace('email text not null,', 'email text not null,\n  login text not null,'),
    hint: (table) => setColumn(table, 'login', { backfill: "split_part(email, '@', 1)" }),
    old: PLAIN_WRITES,
    new: [
      'insert into users (first_name, last_name, email, login, age) values ($1, $1, $1, $1, 1)',
      'update users set age = age + 1, last_name = $1 where id = $2',
    ],
  },
  {
    // ADD COLUMN takes ACCESS EXCLUSIVE for an instant, but waits for it behind a reader's open transaction
    // (READER_MS), and every write queues behind the waiting ALTER: the naive plan stalls writers for as long
    // as the reader runs; Keel's lock_timeout gives up each try after 100 ms and retries.
    id: 'reader',
    label: 'add column, long reader',
    goal: (sql) => sql.replace('team_id int', 'team_id int,\n  nickname text'),
    hint: () => {},
    reader: true,
    old: PLAIN_WRITES,
    new: PLAIN_WRITES,
  },
  {
    id: 'retype',
    label: 'int → bigint',
    goal: (sql) => sql.replace('age int,', 'age bigint,'),
    hint: () => {},
    old: [
      'insert into users (first_name, last_name, email, age) values ($1, $1, $1, 1)',
      'update users set age = age + 1, last_name = $1 where id = $2',
    ],
    new: [
      'insert into users (first_name, last_name, email, age) values ($1, $1, $1, 1)',
      'update users set age = age + 1, last_name = $1 where id = $2',
    ],
  },
  {
    // An identity primary key that a foreign key references: new column, trigger, backfill, concurrent unique
    // index, the FK again NOT VALID then validated, and the swap (key USING INDEX, identity moved) in one short
    // transaction.
    id: 'pk',
    label: 'PK int → bigint',
    goal: (sql) => sql.replace('id int generated always', 'id bigint generated always'),
    hint: () => {},
    old: ACCOUNT_WRITES,
    new: ACCOUNT_WRITES,
  },
  {
    id: 'rename',
    label: 'rename column',
    goal: (sql) => sql.replace('email text not null', 'mail text not null'),
    hint: (table) => setColumn(table, 'mail', { renamedFrom: 'email' }),
    old: [
      'insert into users (first_name, last_name, email, age) values ($1, $1, $1, 1)',
      'update users set email = $1 where id = $2',
    ],
    new: [
      'insert into users (first_name, last_name, mail, age) values ($1, $1, $1, 1)',
      'update users set mail = $1 where id = $2',
    ],
  },
  {
    id: 'replace',
    label: 'two columns → one',
    goal: (sql) => sql.replace('first_name text not null,\n  last_name text not null', 'full_name text not null'),
    hint: (table) => setColumn(table, 'full_name', { backfill: "first_name || ' ' || last_name" }),
    old: [
      'insert into users (first_name, last_name, email, age) values ($1, $1, $1, 1)',
      'update users set last_name = $1 where id = $2',
    ],
    new: [
      'insert into users (full_name, email, age) values ($1, $1, 1)',
      'update users set full_name = $1 where id = $2',
    ],
  },
]

const WRITERS = 4
/** How long the `reader` case's reader keeps its transaction (holding ACCESS SHARE on users) open. */
const READER_MS = 3000

/**
 * Issue 7's load proof for expand/contract: 4 writers insert and update a table of `rows` rows while a change
 * that breaks the running release is applied. Keel: the phased migrations `keel generate` writes, applied by
 * `keel migrate`'s runner (the old release writes during expand and backfill, the new one during contract, as
 * when the application is released between them). Naive (`--unsafe`, what peers emit): one plan, the old
 * release writing throughout. Measured: the longest single write, failed writes, the migration's wall time.
 */
export async function benchPhases({ rows, runs, only, plans = ['keel', 'naive'], trace }) {
  progress(`expand/contract under load: loading ${rows.toLocaleString('en-US')} rows`)
  const settings = await serverSettings()
  progress(
    `  server settings: ${Object.entries(settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  )
  const base = await createDatabase('phases_base')
  try {
    const cases = CASES.filter((c) => only === undefined || only.includes(c.id))
    await execSql(
      base.url,
      START_SQL(
        rows,
        cases.some((c) => c.id === 'pk'),
      ),
    )
    const measurements = []
    // The `idle` plan (a control): no migration, the writers alone for as long as the last Keel run of the case took.
    let lastKeelMs = 10_000
    if (trace !== undefined) mkdirSync(trace, { recursive: true })
    for (const c of cases) {
      // Runs alternate between the plans (keel, naive, keel, naive, ...), so that load coming and going on a
      // shared machine falls on both alike.
      const results = new Map(plans.map((plan) => [plan, []]))
      for (let run = 0; run < runs; run++) {
        for (const plan of plans) {
          const traced =
            trace === undefined ? undefined : join(trace, `${c.id}-${plan.replace(/[^\w@-]+/g, '_')}-${rows}-${run}`)
          const [kind, directives = process.env.BENCH_PHASES_BACKFILL_DIRECTIVES] = plan.split('@')
          const keelBin = kind === 'base' ? BASELINE_KEEL : KEEL
          const prepare =
            kind === 'keel' || kind === 'base'
              ? applyPhased(directives, keelBin)
              : kind === 'idle'
                ? idleFor(lastKeelMs)
                : applyNaive
          const result = await underLoad(base, c, prepare, traced)
          if (kind === 'keel') lastKeelMs = result.migrationMs
          results.get(plan).push(result)
          progress(
            `  ${c.label}, ${plan}: longest write ${Math.round(result.longestWaitMs)} ms, ${result.failed} failed of ${result.writes}, ${Math.round(result.migrationMs)} ms${result.migrationFailed ? `; the migration failed: ${result.migrationFailed}` : ''}; WAL ${(result.server.walBytes / 1048576).toFixed(0)} MB${result.server.walBytesPerBackfilledRow ? ` (${result.server.walBytesPerBackfilledRow} B a backfilled row)` : ''}, ${result.server.walFpi} full-page images, checkpoints ${result.server.checkpointsRequested} requested ${result.server.checkpointsTimed} timed, autovacuums ${result.server.autovacuums.finished} finished ${result.server.autovacuums.running} running${result.backfill ? `; backfill batches: first tenth median ${result.backfill.firstTenthMedianBatchMs} ms, last tenth ${result.backfill.lastTenthMedianBatchMs} ms, slowest ${result.backfill.slowestBatchMs} ms` : ''}`,
          )
        }
      }
      for (const [plan, runsOfPlan] of results) {
        const longest = runsOfPlan.map((r) => r.longestWaitMs).sort((a, b) => a - b)
        measurements.push({
          id: `phases.${c.id}.${plan}`,
          label: `${c.label}: ${{ keel: "Keel's phases", naive: 'naive plan', idle: 'no migration (control)' }[plan] ?? plan}: longest write`,
          role: plan.startsWith('keel')
            ? 'keel'
            : plan === 'naive'
              ? 'floor'
              : plan === 'base'
                ? 'baseline'
                : 'control',
          runs,
          runsMs: longest,
          medianMs: longest[Math.floor(longest.length / 2)],
          detail: { rows, writers: WRITERS, settings, runs: runsOfPlan },
        })
      }
    }
    return measurements
  } finally {
    await dropDatabase(base)
  }
}

function setColumn(table, name, patch) {
  return { ...table, columns: table.columns.map((c) => (c.name === name ? { ...c, ...patch } : c)) }
}

async function schemas(url, c) {
  const conn = await openDatabase(url)
  try {
    const dialect = getDialect('postgres')
    const from = await dialect.introspect(conn, { excludeTables: ['public.keel_migrations'] })
    const scratch = await createDatabase('phases_goal')
    try {
      await execSql(scratch.url, c.goal(TABLE_SQL))
      const goalConn = await openDatabase(scratch.url)
      try {
        const goal = await dialect.introspect(goalConn)
        return { dialect, from, to: { ...goal, tables: goal.tables.map((t) => c.hint(t) ?? t) } }
      } finally {
        await goalConn.close()
      }
    } finally {
      await dropDatabase(scratch)
    }
  } finally {
    await conn.close()
  }
}

/**
 * Keel: the phases as migrations, applied by `keel migrate` in a process of its own, as in production (in this
 * process, the runner's start-up work would block the writers' event loop and show as stalls that no lock
 * caused); `release` switches the writers to the new release before the contract.
 */
const applyPhased = (directives, keelBin) => async (url, c) => {
  const { dialect, from, to } = await schemas(url, c)
  // What `keel generate` writes: phases when the change would break the running release, else one safe migration.
  const phased = planPhases(from, to, [], dialect)
  const plan = phased ?? dialect.plan(diff(from, to, [], dialect).changes, safePolicy)
  // The migrations are rendered and written before the writers start: done in this process while they run, the
  // work blocked their event loop (~300 ms at load 15), which showed as a stall of every writer that no lock caused.
  const dir = mkdtempSync(join(tmpdir(), 'keel-phases-bench-'))
  const migrations = join(dir, 'migrations')
  const config = join(dir, 'keel.config.mjs')
  writeFileSync(config, `export default { migrations: ${JSON.stringify(migrations)} }\n`)
  const ids = renderMigrations(plan, { unsafe: false, phased: phased !== undefined }).map((m) => [
    m.phase,
    writeMigration(migrations, `change_${m.phase}`, withDirectives(m, directives)),
  ])
  const contract = ids.find(([phase]) => phase === 'contract')?.[1]
  const before = ids.filter(([phase]) => phase !== 'contract').at(-1)?.[1]
  return async (release, mark, backfill) => {
    try {
      const started = performance.now()
      const keel = (...args) =>
        run(process.execPath, [keelBin, 'migrate', '--json', '--config', config, '--url', url, ...args], (line) => {
          if (line.startsWith('{"event":"backfill"'))
            backfill.received?.push(performance.timeOrigin + performance.now())
        })
      mark('expand and backfill')
      if (before) await keel('--to', before.version).then((stderr) => backfill.push(...backfillEvents(stderr)))
      release('new')
      mark('contract')
      if (contract) await keel()
      mark('done')
      return performance.now() - started
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * The backfill migration's files with BENCH_PHASES_BACKFILL_DIRECTIVES added to its header (`;`-separated, as
 * `batch-size 250;batch-pause 10ms`), to compare batch settings on the same change; the others as written.
 */
function withDirectives(migration, extra) {
  if (extra === undefined || migration.phase !== 'backfill') return migration.files
  const lines = extra.split(';').map((d) => `-- keel:${d.trim()}`)
  const up = migration.files['up.sql'].replace(
    '-- keel:phase backfill\n',
    `-- keel:phase backfill\n${lines.join('\n')}\n`,
  )
  return { ...migration.files, 'up.sql': up }
}

/** The `{"event":"backfill"}` lines `keel migrate --json` writes on stderr, one per committed batch. */
function backfillEvents(stderr) {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{"event":"backfill"'))
    .map((line) => JSON.parse(line))
}

/**
 * Whether a backfill's batches stay as fast at the end of the table as at its start: the median batch time
 * of the first and the last tenth of the batches (each batch's time from the elapsed times of consecutive
 * events), and the slowest batch.
 */
function batchFlatness(events) {
  const times = events.slice(1).map((e, i) => e.elapsedMs - events[i].elapsedMs)
  if (times.length < 20) return undefined
  const tenth = Math.floor(times.length / 10)
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  return {
    batches: events.at(-1).batches,
    rows: events.at(-1).rows,
    backfillMs: events.at(-1).elapsedMs,
    firstTenthMedianBatchMs: median(times.slice(0, tenth)),
    lastTenthMedianBatchMs: median(times.slice(-tenth)),
    slowestBatchMs: times.reduce((a, b) => Math.max(a, b), 0),
  }
}

const SAMPLER = fileURLToPath(new URL('./pg-sampler.mjs', import.meta.url))
const KEEL = fileURLToPath(new URL('../../bin/keel.js', import.meta.url))
/**
 * The `base` plan: the same phases applied by another build's `keel migrate` (BENCH_PHASES_BASELINE_KEEL, the
 * bin/keel.js of a worktree at the commit to compare with), in turn with this one's, for before/after on one machine.
 */
const BASELINE_KEEL = process.env.BENCH_PHASES_BASELINE_KEEL ?? KEEL

function run(command, args, onLine = () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, KEEL_QUIET: '1' },
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      const lines = (stderr.slice(stderr.lastIndexOf('\n') + 1) + String(chunk)).split('\n').slice(0, -1)
      for (const line of lines) onLine(line)
      stderr += String(chunk)
    })
    child.on('close', (code) =>
      code === 0 ? resolve(stderr) : reject(new Error(`keel migrate exited ${code}: ${stderr.trim()}`)),
    )
  })
}

/** The control: no migration, the writers alone for `ms`. */
function idleFor(ms) {
  return async () => async () => {
    await sleep(ms)
    return ms
  }
}

/** Naive: the one-step plan, under the old release (the new one cannot run before it, nor the old after). */
async function applyNaive(url, c) {
  const { dialect, from, to } = await schemas(url, c)
  const renames =
    c.id === 'rename' ? [{ kind: 'column', table: { schema: 'public', name: 'users' }, from: 'email', to: 'mail' }] : []
  const plan = dialect.plan(diff(from, to, renames, dialect).changes, directPolicy)
  return async () => {
    const conn = await openDatabase(url)
    try {
      const started = performance.now()
      await applyPlan(conn, plan)
      return performance.now() - started
    } finally {
      await conn.close()
    }
  }
}

/**
 * The server's WAL and checkpoint counters (cluster-wide: another database's work on the same server counts too).
 * Their difference over a run is what the run made the server do, whatever the machine's load: bytes of WAL, full-page
 * images, and checkpoints, requested (by WAL volume, by a CHECKPOINT or a DROP DATABASE) or timed.
 */
async function serverCounters() {
  // The views differ by version (server-stats.mjs): PostgreSQL 17 moved the checkpoint counters.
  const version = await serverVersionNumber()
  const { rows } = await execSql(
    ADMIN_URL,
    `select pg_current_wal_lsn()::text as lsn, w.wal_fpi::bigint as fpi, w.wal_records::bigint as records,
       b.checkpoints_req, b.checkpoints_timed, b.buffers_backend::bigint as buffers_backend
     from (${walSql(version)}) w, (${checkpointerSql(version)}) b`,
  )
  return rows[0]
}

/**
 * The autovacuums of the run's database: those that finished (its tables' autovacuum_count; the copy starts with none)
 * and those still running. A backfill leaves a dead version of every row it updates, so at 4M rows autovacuum starts on
 * the table while the backfill runs (twice in a run on 2026-12-07, ~48,000 pages dirtied each, which its worker writes
 * out itself and, with the server's default backend_flush_after of 0, leaves in the OS cache for the next
 * checkpoint's fsync): work the control's run does not have, by PostgreSQL's own choice, not Keel's.
 */
async function autovacuums(url) {
  const { rows } = await execSql(
    url,
    `select (select coalesce(sum(autovacuum_count), 0) from pg_stat_user_tables)::int as finished,
       (select count(*) from pg_stat_progress_vacuum where datname = current_database())::int as running`,
  )
  return rows[0]
}

async function serverWork(before, after, backfilledRows) {
  const { rows } = await execSql(
    ADMIN_URL,
    `select pg_wal_lsn_diff('${after.lsn}', '${before.lsn}')::bigint::text as bytes`,
  )
  const walBytes = Number(rows[0].bytes)
  return {
    walBytes,
    walFpi: Number(after.fpi) - Number(before.fpi),
    walRecords: Number(after.records) - Number(before.records),
    checkpointsRequested: after.checkpoints_req - before.checkpoints_req,
    checkpointsTimed: after.checkpoints_timed - before.checkpoints_timed,
    // Buffers a backend (not the checkpointer or the background writer) had to write out itself.
    buffersBackend: Number(after.buffers_backend) - Number(before.buffers_backend),
    ...(backfilledRows > 0 ? { walBytesPerBackfilledRow: Math.round(walBytes / backfilledRows) } : {}),
  }
}

/**
 * The server settings that decide how much WAL a change writes and when it checkpoints: a row measured on a server
 * configured otherwise (BENCH_PG_URL) says so in `detail.settings`.
 */
async function serverSettings() {
  const { rows } = await execSql(
    ADMIN_URL,
    `select name, current_setting(name) as value from pg_settings
     where name in ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'checkpoint_completion_target',
                    'wal_compression', 'full_page_writes', 'synchronous_commit', 'backend_flush_after', 'autovacuum')
     order by name`,
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.value]))
}

async function underLoad(base, c, prepare, trace) {
  // FILE_COPY: the default strategy (WAL_LOG) writes the whole copy through the WAL, ~650 MB at 4M rows, right
  // before the run; its checkpoint (and its dirty pages) then fell on the migration or the control measured next.
  const copy = await createDatabase('phases_run', { template: base, strategy: 'file_copy' })
  // Planning (and the scratch database it needs) happens before the writers start: only the migration is timed.
  const apply = await prepare(copy.url, c)
  // Every run (Keel, naive, the control) starts from a completed checkpoint: the previous run's dirty pages are on
  // disk, so that the checkpoint one run's WAL started does not fall on the next one (the control came right after
  // Keel's run and measured the tail of Keel's checkpoint).
  await execSql(ADMIN_URL, 'CHECKPOINT')
  const writers = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const client = new pg.Client({ connectionString: copy.url })
      await client.connect()
      return client
    }),
  )
  let running = true
  let sqls = c.old
  const marks = []
  const writes = []
  const sampler =
    trace === undefined
      ? undefined
      : spawn(process.execPath, [SAMPLER, copy.url, `${trace}-server.jsonl`], { stdio: 'inherit' })
  const loops = writers.map(async (client, i) => {
    for (let n = 0; running; n++) {
      const sql = sqls[n % 2]
      const started = performance.now()
      let failed = false
      try {
        await client.query(sql, n % 2 === 0 ? [`w${i}-${n}`] : [`w${i}-${n}`, 1 + ((n * 7919 + i) % 1000)])
      } catch {
        failed = true
        await sleep(5)
      }
      writes.push({ at: started, ms: performance.now() - started, failed, ...(trace ? { writer: i, n } : {}) })
    }
  })
  // The `reader` case: a report that reads users in one transaction, open when the migration starts.
  const reader = c.reader ? new pg.Client({ connectionString: copy.url, application_name: 'bench-reader' }) : undefined
  let readerDone = Promise.resolve()
  try {
    await sleep(300)
    if (reader) {
      await reader.connect()
      await reader.query('begin')
      await reader.query('select count(*) from users where id < 1000')
      readerDone = sleep(READER_MS).then(() => reader.query('commit'))
    }
    const counters = await serverCounters()
    const started = performance.now()
    // The naive plan of a replaced NOT NULL column fails on a table with rows (as the peers' does): recorded.
    let error
    const backfill = []
    if (trace) backfill.received = []
    const migrationMs = await apply(
      (release) => {
        sqls = release === 'new' ? c.new : c.old
      },
      (id) => marks.push([id, performance.now()]),
      backfill,
    ).catch((e) => {
      error = String(e.message).split('\n')[0]
      return performance.now() - started
    })
    const finished = performance.now()
    const server = {
      ...(await serverWork(counters, await serverCounters(), backfill.at(-1)?.rows ?? 0)),
      autovacuums: await autovacuums(copy.url),
    }
    running = false
    await Promise.all(loops)
    await readerDone
    if (trace) {
      const wall = (at) => Math.round((performance.timeOrigin + at) * 10) / 10
      const slow = writes.filter((w) => w.at + w.ms >= started && w.at <= finished)
      writeFileSync(
        `${trace}-client.json`,
        JSON.stringify({
          started: wall(started),
          finished: wall(finished),
          marks: marks.map(([id, at]) => [id, wall(at)]),
          batches: backfill.received,
          writes: slow.map((w) => ({ ...w, at: wall(w.at), ms: Math.round(w.ms * 10) / 10 })),
        }),
      )
    }
    const during = writes.filter((w) => w.at + w.ms >= started && w.at <= finished)
    const longest = during.reduce((a, w) => (a === undefined || w.ms > a.ms ? w : a), undefined)
    return {
      migrationMs,
      // When the longest write started, from the migration's start: which phase or step held it.
      longestAtMs: longest === undefined ? null : Math.round(longest.at - started),
      phasesAtMs: marks.map(([id, at]) => [id, Math.round(at - started)]),
      // Not Math.max(...): a quiet machine's writers make hundreds of thousands of writes in a phased run, more
      // arguments than the stack holds.
      longestWaitMs: longest === undefined ? 0 : longest.ms,
      writes: during.length,
      failed: during.filter((w) => w.failed).length,
      server,
      ...(error === undefined ? {} : { migrationFailed: error }),
      ...(batchFlatness(backfill) === undefined ? {} : { backfill: batchFlatness(backfill) }),
    }
  } finally {
    running = false
    if (sampler !== undefined && sampler.exitCode === null) {
      sampler.kill('SIGTERM')
      await new Promise((resolve) => sampler.once('exit', resolve))
    }
    await Promise.allSettled(loops)
    await readerDone.catch(() => {})
    await Promise.all([...writers, ...(reader ? [reader] : [])].map((client) => client.end().catch(() => {})))
    await dropDatabase(copy)
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
