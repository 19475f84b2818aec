import pg from 'pg'
import { openDatabase } from '../../dist/db/open.js'
import { getDialect } from '../../dist/dialect/registry.js'
import { diff } from '../../dist/diff/diff.js'
import { directPolicy, safePolicy } from '../../dist/plan/policy.js'
import { applyPlan } from '../../dist/source/apply-plan.js'
import { createDatabase, dropDatabase, execSql } from './databases.mjs'
import { measureRounds } from './measure.mjs'
import { progress } from './stats.mjs'

/** The table under load: `rows` events over 1,000 accounts, and nothing else on it yet. */
const START_SQL = (rows) => `
create table accounts (id bigint primary key);
insert into accounts select generate_series(1, 1000);
create table events (
  id bigint generated always as identity primary key,
  account_id bigint,
  kind text,
  amount numeric(12, 2),
  created_at timestamptz not null default now()
);
insert into events (account_id, kind, amount)
  select i % 1000 + 1, 'seed', i % 500 from generate_series(1, ${rows}) as i;
analyze events;`

/**
 * What the migration adds: an index, a foreign key, a check, NOT NULL on a column, a unique constraint. Each has a
 * naive form that holds a lock blocking writes for a scan or build of the whole table.
 */
const TARGET_SQL = `
create table accounts (id bigint primary key);
create table events (
  id bigint generated always as identity primary key,
  account_id bigint references accounts (id),
  kind text not null,
  amount numeric(12, 2) check (amount >= 0),
  created_at timestamptz not null default now(),
  unique (account_id, id)
);
create index events_account_id_idx on events (account_id);`

const WRITERS = 4

/**
 * Section 5 (DESIGN.md's online-safety bar): writers insert into a table of `rows` rows while Keel's plan adds an
 * index, a foreign key, a check, NOT NULL and a unique constraint to it. Measured: the longest any single insert
 * waited (the stall writers see) and the migration's wall time, for Keel's safe plan and for the naive plan
 * (`--unsafe`: the statements peers generate). Every run starts from a fresh copy of the loaded table.
 */
export async function benchOnline({ rows, runs }) {
  progress(`online safety: loading ${rows.toLocaleString('en-US')} rows`)
  const base = await createDatabase('online_base')
  const target = await createDatabase('online_target')
  try {
    await execSql(base.url, START_SQL(rows))
    await execSql(target.url, TARGET_SQL)
    const dialect = getDialect('postgres')
    const goal = await introspect(target.url)
    const runs_ = { safe: [], naive: [] }
    const spec = (policyName, policy) => ({
      id: `online.${policyName}`,
      label:
        policyName === 'safe' ? 'Keel safe plan: longest insert wait' : 'naive plan (--unsafe): longest insert wait',
      role: policyName === 'safe' ? 'keel' : 'floor',
      fn: async () => {
        const run = await underLoad(base, async (url) => {
          const plan = dialect.plan(diff(await introspect(url), goal, [], dialect).changes, policy)
          const conn = await openDatabase(url)
          try {
            await applyPlan(conn, plan)
          } finally {
            await conn.close()
          }
          return plan.steps.length
        })
        runs_[policyName].push(run)
        progress(
          `  ${policyName}: ${run.steps} steps in ${Math.round(run.migrationMs)} ms; longest insert wait ${Math.round(run.longestWaitMs)} ms, ${run.inserts} inserts meanwhile`,
        )
        return run.longestWaitMs
      },
      detail: () => ({ rows, writers: WRITERS, runs: runs_[policyName] }),
    })
    return await measureRounds([spec('safe', safePolicy), spec('naive', directPolicy)], runs)
  } finally {
    await dropDatabase(target)
    await dropDatabase(base)
  }
}

async function introspect(url) {
  const conn = await openDatabase(url)
  try {
    return await getDialect('postgres').introspect(conn)
  } finally {
    await conn.close()
  }
}

/**
 * Copies `base`, starts the writers on the copy, runs `migrate(url)` once they are going, and stops them after it.
 * Returns the migration's wall time and what the writers saw while it ran.
 */
async function underLoad(base, migrate) {
  const copy = await createDatabase('online_run', { template: base })
  const writers = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const client = new pg.Client({ connectionString: copy.url })
      await client.connect()
      return client
    }),
  )
  let running = true
  const waits = []
  const loops = writers.map(async (client, i) => {
    while (running) {
      const started = performance.now()
      await client.query('insert into events (account_id, kind, amount) values ($1, $2, $3)', [i + 1, 'live', 1])
      waits.push({ at: started, ms: performance.now() - started })
    }
  })
  try {
    await sleep(300)
    const started = performance.now()
    const steps = await migrate(copy.url)
    const finished = performance.now()
    await sleep(300)
    running = false
    await Promise.all(loops)
    const during = waits.filter((w) => w.at + w.ms >= started && w.at <= finished)
    return {
      steps,
      migrationMs: finished - started,
      longestWaitMs: Math.max(0, ...during.map((w) => w.ms)),
      inserts: during.length,
    }
  } finally {
    running = false
    await Promise.allSettled(loops)
    await Promise.all(writers.map((client) => client.end().catch(() => {})))
    await dropDatabase(copy)
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
