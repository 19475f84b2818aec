/**
 * Issue 7 item 4: a migration's DDL that finds an autovacuum on its table cancels it, as PostgreSQL itself does
 * for a lock waiter after deadlock_timeout (1 s), which the runner's 50 ms tries never reach; without that it
 * retried until the vacuum ended or its lock deadline passed, and failed naming the autovacuum.
 *
 * On a private server (the version matrix's PostgreSQL 16 binaries): the shared server's autovacuum_naptime is
 * 1 min, here it is 1 s, and the table's own settings make its vacuum start at once and run slowly (a 100 ms
 * pause after every page), so that it holds its lock for far longer than the migration's lock deadline.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import {
  matrixUnavailable,
  type PostgresServer,
  startPostgres,
  warnMatrixSkipped,
} from '../../support/postgres-servers.js'
import { createProject } from '../migrate/project.js'

const unavailable = matrixUnavailable()
if (unavailable !== undefined) warnMatrixSkipped(unavailable)

let server: PostgresServer
beforeAll(async () => {
  if (unavailable !== undefined) return
  server = await startPostgres(16)
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  try {
    await admin.query("alter system set autovacuum_naptime = '1s'")
    await admin.query('select pg_reload_conf()')
    // For the second test, made now: the launcher takes its time to start the first worker in a new database.
    // A role that owns its database but is neither superuser nor a member of pg_signal_backend; pg_read_all_stats
    // lets it see what the worker does (without it pg_stat_activity hides the query, and nothing is cancelled). Its
    // own database: the journal the first test's superuser made is not its to write.
    await admin.query('create role plain login in role pg_read_all_stats')
    await admin.query('create database plain owner plain')
  } finally {
    await admin.end()
  }
})
afterAll(async () => {
  await server?.stop()
})

/** The autovacuum worker's pid once pg_stat_activity shows it vacuuming `table` (polled for up to 20 s). */
async function autovacuumOn(client: pg.Client, table: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity where backend_type = 'autovacuum worker' and query like $1`,
      [`autovacuum: %VACUUM%.${table}`],
    )
    if (rows[0] !== undefined) return rows[0].pid
    await client.query('select pg_sleep(0.1)')
  }
  throw new Error(`no autovacuum of ${table} started within 20 s`)
}

/**
 * A table whose autovacuum starts within a second or two and then runs for over a minute: every dead row counts
 * (threshold and scale factor 0), and one cost unit buys a 100 ms pause, so the vacuum pauses after every page of
 * the ~700 that 20,000 dead rows fill. Returns the worker's pid once it runs.
 */
async function slowlyVacuumedTable(client: pg.Client, table: string): Promise<number> {
  await client.query(`create table ${table} (id int primary key, pad text) with (
      autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0,
      autovacuum_vacuum_cost_delay = 100, autovacuum_vacuum_cost_limit = 1)`)
  await client.query(`insert into ${table} select g, repeat('x', 200) from generate_series(1, 20000) g`)
  await client.query(`delete from ${table}`)
  // Polled from the same session: a session reports its DELETE's dead rows to the statistics (which the launcher
  // reads) at its next query a second after the last report, or only after 10 s idle.
  return autovacuumOn(client, table)
}

/** Whether `pid` is still the autovacuum of `table`. */
async function stillVacuuming(client: pg.Client, pid: number, table: string): Promise<boolean> {
  const { rows } = await client.query('select 1 from pg_stat_activity where pid = $1 and query like $2', [
    pid,
    `autovacuum: %.${table}`,
  ])
  return rows.length > 0
}

/** `keel migrate` under a lock deadline, with the notices its retries print; a failure is returned, not thrown. */
async function migrateNoting(
  url: string,
  migrationsDir: string,
  lockDeadlineMs: number,
): Promise<{ readonly result: unknown; readonly notices: readonly string[] }> {
  const notices: string[] = []
  const result = await migrate({
    url,
    migrationsDir,
    lockDeadlineMs,
    events: { onNotice: (text) => notices.push(text) },
  }).catch((e: unknown) => e)
  return { result, notices }
}

async function hasColumn(client: pg.Client, table: string, column: string): Promise<boolean> {
  const { rows } = await client.query(
    'select 1 from information_schema.columns where table_name = $1 and column_name = $2',
    [table, column],
  )
  return rows.length > 0
}

describe.skipIf(unavailable !== undefined)(
  `a migration blocked by an autovacuum${unavailable ? `: SKIPPED, ${unavailable}` : ''}`,
  () => {
    it('cancels the worker, as PostgreSQL would, and applies its DDL', async () => {
      const project = createProject()
      const client = new pg.Client({ connectionString: server.url })
      await client.connect()
      try {
        const worker = await slowlyVacuumedTable(client, 'slow_cancelled')
        project.add('20260101000000_add', { 'up.sql': 'alter table slow_cancelled add column note text;\n' })
        const { result, notices } = await migrateNoting(server.url, project.migrations, 3000)

        expect(result).not.toBeInstanceOf(Error)
        expect(notices.join('\n')).toContain(
          `cancelled pid ${worker} (autovacuum: VACUUM ANALYZE public.slow_cancelled), as PostgreSQL would after deadlock_timeout; retrying at once`,
        )
        expect(await hasColumn(client, 'slow_cancelled', 'note')).toBe(true)
        // Cancelled, not waited for: its vacuum of ~700 pages at 100 ms each had far from ended.
        expect(await stillVacuuming(client, worker, 'slow_cancelled')).toBe(false)
      } finally {
        await client.end()
        project.dispose()
      }
    })

    it('leaves the worker alone when the statement waited for a row, which no vacuum holds', async () => {
      const project = createProject()
      // A database of its own: the first test's journal in postgres lists a migration this project does not have.
      const admin = new pg.Client({ connectionString: server.url })
      await admin.connect()
      await admin.query('create database row_wait').finally(() => admin.end())
      const url = server.url.replace(/\/postgres$/, '/row_wait')
      const client = new pg.Client({ connectionString: url })
      const holder = new pg.Client({ connectionString: url })
      await client.connect()
      await holder.connect()
      try {
        const worker = await slowlyVacuumedTable(client, 'slow_row_wait')
        // A row an open transaction has updated: the migration's UPDATE waits for that transaction, not for the
        // vacuum, whose SHARE UPDATE EXCLUSIVE lock does not conflict with an UPDATE's ROW EXCLUSIVE.
        await client.query("insert into slow_row_wait values (0, 'a')")
        await holder.query('begin')
        await holder.query("update slow_row_wait set pad = 'b' where id = 0")
        project.add('20260101000000_update', { 'up.sql': "update slow_row_wait set pad = 'c' where id = 0;\n" })
        const { result, notices } = await migrateNoting(url, project.migrations, 1500)

        expect((result as { code?: string }).code).toBe('MIGRATION_FAILED')
        expect(notices.length).toBeGreaterThan(0)
        for (const notice of notices) expect(notice).not.toContain('cancelled pid')
        expect(await stillVacuuming(client, worker, 'slow_row_wait')).toBe(true)
      } finally {
        await holder.query('rollback').catch(() => {})
        await holder.end()
        await client.end()
        project.dispose()
      }
    })

    it('retries as before, and says why, when its role may not cancel the worker', async () => {
      const project = createProject()
      const admin = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/plain') })
      await admin.connect()
      const url = server.url.replace('postgres@', 'plain@').replace(/\/postgres$/, '/plain')
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        const worker = await slowlyVacuumedTable(client, 'slow_refused')
        project.add('20260101000000_add', { 'up.sql': 'alter table slow_refused add column note text;\n' })
        const { result, notices } = await migrateNoting(url, project.migrations, 1500)

        expect((result as { code?: string }).code).toBe('MIGRATION_FAILED')
        expect((result as Error).message).toContain(`the lock was held by pid ${worker} (active, transaction open`)
        expect((result as Error).message).toMatch(
          new RegExp(`could not cancel pid ${worker} \\(autovacuum: VACUUM [^)]*slow_refused\\): permission denied`),
        )
        expect(notices.length).toBeGreaterThan(0)
        for (const notice of notices) expect(notice).toContain(`could not cancel pid ${worker}`)
        expect(await hasColumn(client, 'slow_refused', 'note')).toBe(false)
        expect(await stillVacuuming(admin, worker, 'slow_refused')).toBe(true)
      } finally {
        await client.end()
        await admin.end()
        project.dispose()
      }
    })
  },
)
