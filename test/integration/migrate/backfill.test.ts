import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import type { BackfillProgress } from '../../../src/migrate/backfill/run-backfill.js'
import { walkBatches } from '../../../src/migrate/backfill/walk-batches.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { disposeTargets, runKeel, useProject, withConnection, withTarget } from './project.js'
import { assertBuilt, spawnKeel } from './spawn.js'

// Issue 7 item 3: a backfill phase's UPDATE runs in primary-key batches, each its own short transaction
// committed with its progress in the journal row; it resumes after a kill from the last committed batch.
const project = useProject()
afterAll(() => disposeTargets())

// hits = hits + 1 is not idempotent: a row updated twice, or skipped, shows in the result.
const BACKFILL = (size: number, pause = '0ms') =>
  `-- keel:phase backfill\n-- keel:no-transaction\n-- keel:batch-size ${size}\n-- keel:batch-pause ${pause}\nupdate t set hits = hits + 1, label = 'n' || id where label is null;\n`

/**
 * Two migrations: a table t of `rows` keys, every hits 0 and no label (`after` runs next in the same migration), then
 * the backfill of t in batches of `size`, `pause` apart.
 */
function addTableAndBackfill(rows: number, size: number, options: { after?: string; pause?: string } = {}): void {
  project.add('20260101000000_t', {
    'up.sql': `create table t (id int primary key, hits int not null default 0, label text);\ninsert into t (id) select g from generate_series(1, ${rows}) g;\n${options.after ?? ''}`,
  })
  project.add('20260102000000_fill', { 'up.sql': BACKFILL(size, options.pause) })
}

/** A table t of 20 keys whose n the walks fill in. */
const N_TABLE = 'create table t (id int primary key, n int); insert into t select g from generate_series(1, 20) g'

/**
 * Walks N_TABLE's t in batches of 8 on `conn`, recording into table `seen` the rows done and `read` (SQL expressions)
 * inside each batch's transaction, where its progress is saved, and, unless `last` is false, after the last batch.
 */
function walkSeeing(conn: Connection, read: string, { last = true } = {}) {
  return walkBatches({
    conn,
    sql: 'update t set n = id where n is null',
    table: { schema: undefined, name: 't' },
    size: 8,
    pauseMs: 0,
    from: { lastKey: null, rows: 0, batches: 0 },
    save: {
      progressSql: ({ rows }) => `insert into seen select ${rows}, ${read}`,
      last: async (state) => {
        if (last) await conn.query(`insert into seen select $1, ${read}`, [state.rows])
      },
    },
  })
}

describe.each(DIALECTS)('batched backfills on %s', (dialect) => {
  it('walk the key in batches, each committed with its progress, and leave no progress behind', async () => {
    await withTarget(dialect, async (db) => {
      addTableAndBackfill(50, 8, { after: "update t set label = 'kept' where id = 7;\n" })
      const events: BackfillProgress[] = []
      await migrate({ ...db.options, migrationsDir: project.migrations, events: { onBackfill: (p) => events.push(p) } })
      expect(await db.conn.query('select count(*)::int as n from t where hits = 1')).toEqual([{ n: 49 }])
      expect(await db.conn.query('select hits, label from t where id in (7, 8) order by id')).toEqual([
        { hits: 0, label: 'kept' },
        { hits: 1, label: 'n8' },
      ])
      // 50 keys in ranges of 8 (row 7 needs nothing): six ranges, then the last one without an upper bound.
      expect(events.map((e) => [e.rows, e.done])).toEqual([
        [7, false],
        [15, false],
        [23, false],
        [31, false],
        [39, false],
        [47, false],
        [49, true],
      ])
      expect(
        await db.conn.query('select backfill_progress from keel_migrations where version = $1', ['20260102000000']),
      ).toEqual([{ backfill_progress: null }])
    })
  })

  // A batch's commit does not wait for its WAL flush (its row locks go at once); the last one's, which records the
  // statement as done, does. Read inside each batch's transaction, where its progress is saved.
  it('commit every batch but the last without waiting for the WAL flush', async () => {
    await withTarget(dialect, async (db) => {
      await db.conn.exec(`${N_TABLE}; create table seen (rows int, sync text)`)
      await walkSeeing(db.conn, "current_setting('synchronous_commit')")
      const seen = (
        await db.conn.query<{ rows: number; sync: string }>('select rows, sync from seen order by rows')
      ).map((r) => [r.rows, r.sync])
      expect(seen).toEqual([
        [8, 'off'],
        [16, 'off'],
        [20, 'on'],
      ])
      expect(await db.conn.query("select current_setting('synchronous_commit') as s")).toEqual([{ s: 'on' }])
    })
  })

  // A backfill rewrites more pages than shared_buffers hold: each batch but the last has the server write its dirty
  // pages out as it goes (backend_flush_after) instead of leaving them all to a checkpoint's fsync, and compresses the
  // full-page images it logs (wal_compression; the test's role is a superuser). The session keeps its own settings.
  it('run every batch but the last with backend_flush_after and wal_compression set for it alone', async () => {
    await withTarget(dialect, async (db) => {
      await db.conn.exec(`${N_TABLE}; create table seen (rows int, flush text, compression text)`)
      const read = "current_setting('backend_flush_after'), current_setting('wal_compression')"
      const settings =
        "select current_setting('backend_flush_after') as flush, current_setting('wal_compression') as compression"
      const [server] = await db.conn.query<{ flush: string; compression: string }>(settings)
      await walkSeeing(db.conn, read)
      const seen = (
        await db.conn.query<{ rows: number; flush: string; compression: string }>('select * from seen order by rows')
      ).map((r) => [r.rows, r.flush, r.compression])
      // A server that sets either keeps its own.
      const flush = server?.flush === '0' ? '256kB' : server?.flush
      const compression = server?.compression === 'off' ? 'pglz' : server?.compression
      expect(seen).toEqual([
        [8, flush, compression],
        [16, flush, compression],
        [20, server?.flush, server?.compression],
      ])
      expect(await db.conn.query(settings)).toEqual([server])
    })
  })

  // The keys travel as literals in the batch's text: quotes and backslashes in a composite key must not move a range.
  it('walk a composite text key whose values hold quotes and backslashes', async () => {
    await withTarget(dialect, async (db) => {
      await db.conn.exec(
        "create table t (a text, b int, n int, primary key (a, b)); insert into t select x, g, null from unnest(array['o''b', 'c\\d', 'e\"f', 'plain']) x, generate_series(1, 5) g",
      )
      const state = await walkBatches({
        conn: db.conn,
        sql: 'update t set n = coalesce(n, 0) + 1',
        table: { schema: undefined, name: 't' },
        size: 3,
        pauseMs: 0,
        from: { lastKey: null, rows: 0, batches: 0 },
      })
      expect(state).toMatchObject({ rows: 20, batches: 7 })
      expect(await db.conn.query('select n, count(*)::int as c from t group by n')).toEqual([{ n: 1, c: 20 }])
    })
  })

  // The batch's statement names its own CTEs keel_batch, keel_count, keel_progress: a table of that name, unqualified,
  // must still be the table wherever the batch reads it.
  it("walk a table named like the batch statement's CTEs", async () => {
    await withTarget(dialect, async (db) => {
      await db.conn.exec(
        'create table keel_count (id int primary key, n int); insert into keel_count select g from generate_series(1, 20) g',
      )
      const state = await walkBatches({
        conn: db.conn,
        sql: 'update keel_count set n = id where n is null',
        table: { schema: undefined, name: 'keel_count' },
        size: 8,
        pauseMs: 0,
        from: { lastKey: null, rows: 0, batches: 0 },
      })
      expect(state).toMatchObject({ rows: 20, batches: 3 })
      expect(await db.conn.query('select count(*)::int as c from keel_count where n = id')).toEqual([{ c: 20 }])
    })
  })

  it('refuse a table without a usable key instead of one long UPDATE', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_t', {
        'up.sql': 'create table t (id int, hits int not null default 0, label text);\ninsert into t (id) values (1);\n',
      })
      project.add('20260102000000_fill', { 'up.sql': BACKFILL(8) })
      const error = await migrate({ ...db.options, migrationsDir: project.migrations }).catch((e) => e)
      expect(error.code).toBe('BACKFILL_NO_KEY')
      expect(error.message).toContain('cannot backfill t in batches: it has no primary key or unique index')
      expect(await db.conn.query('select hits from t')).toEqual([{ hits: 0 }])
    })
  })
})

// Only a superuser (or a role granted it) may set wal_compression: for any other role a batch must not try, or every
// batch would fail with "permission denied to set parameter".
describe('a backfill by a role that is not a superuser (postgres)', () => {
  it("walks the table with the server's wal_compression and its own backend_flush_after", async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const role = `keel_backfill_${process.pid}_${Date.now().toString(36)}`
      await conn.exec(
        `create role ${role} login; ${N_TABLE};
         create table seen (rows int, flush text, compression text); grant all on t, seen to ${role}`,
      )
      try {
        const asRole = new URL(url)
        asRole.username = role
        await withConnection(asRole.toString(), async (roleConn) => {
          const state = await walkSeeing(
            roleConn,
            "current_setting('backend_flush_after'), current_setting('wal_compression')",
            { last: false },
          )
          expect(state).toMatchObject({ rows: 20, batches: 3 })
        })
        const [server] = await conn.query<{ flush: string; compression: string }>(
          "select current_setting('backend_flush_after') as flush, current_setting('wal_compression') as compression",
        )
        const seen = await conn.query<{ flush: string; compression: string }>(
          'select distinct flush, compression from seen',
        )
        expect(seen).toEqual([
          { flush: server?.flush === '0' ? '256kB' : server?.flush, compression: server?.compression },
        ])
        expect(await conn.query('select count(*)::int as c from t where n = id')).toEqual([{ c: 20 }])
      } finally {
        await conn.exec(`drop owned by ${role}; drop role ${role}`)
      }
    })
  })
})

describe('a backfill killed part-way (postgres, SIGKILL)', () => {
  beforeAll(() => assertBuilt())

  // A batch's rows and its progress travel in one statement of one message: a runner killed while the server runs
  // it leaves both committed or neither. A trigger holds the 16th batch (ids 151-160) in the server for a second.
  it('killed while a batch runs in the server: the journal says exactly the rows done', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      addTableAndBackfill(400, 10, {
        after: `create function slow_row() returns trigger language plpgsql as $$ begin perform pg_sleep(1); return new; end $$;
create trigger slow_row before update on t for each row when (old.id = 155) execute function slow_row();
`,
      })
      const run = spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
      const runner = "datname = current_database() and application_name like 'keel-run %'"
      await until(conn, `select 1 from pg_stat_activity where ${runner} and wait_event = 'PgSleep'`, true)
      run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')
      // The runner's server session finishes the statement on its own, then ends.
      await until(conn, `select 1 from pg_stat_activity where ${runner}`, false)
      await conn.exec('drop trigger slow_row on t')

      const [saved] = await conn.query<{ rows: number; last: number; batches: number }>(
        `select (backfill_progress->>'rows')::int as rows, (backfill_progress->'lastKey'->>0)::int as last,
                (backfill_progress->>'batches')::int as batches
           from keel_migrations where version = '20260102000000'`,
      )
      const [done] = await conn.query<{ rows: number; first: number; last: number; twice: number }>(
        'select count(*) filter (where hits = 1)::int as rows, min(id) filter (where hits = 1) as first, max(id) filter (where hits = 1) as last, count(*) filter (where hits > 1)::int as twice from t',
      )
      expect([150, 160]).toContain(saved?.rows)
      expect(done).toEqual({ rows: saved?.rows, first: 1, last: saved?.last, twice: 0 })
      expect(saved?.batches).toBe((saved?.rows ?? 0) / 10)

      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(await conn.query('select hits, count(*)::int as n from t group by hits')).toEqual([{ hits: 1, n: 400 }])
    })
  })

  it('resumes from the last committed batch: every row updated exactly once', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      addTableAndBackfill(400, 10, { pause: '50ms' })
      const args = ['migrate', '--config', project.config, '--url', url]
      const run = spawnKeel(project.root, args)
      let rows = 0
      for (let i = 0; i < 400 && rows < 60; i++) {
        const found = await conn
          .query<{ rows: number | null }>(
            "select (backfill_progress->>'rows')::int as rows from keel_migrations where version = '20260102000000'",
          )
          .catch(() => [])
        rows = found[0]?.rows ?? 0
        await new Promise((r) => setTimeout(r, 25))
      }
      run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')
      const done = await conn.query<{ n: number }>('select count(*)::int as n from t where hits = 1')
      expect(done[0]?.n).toBeGreaterThanOrEqual(60)
      expect(done[0]?.n).toBeLessThan(400)

      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(again.stderr).toContain('"event":"backfill"')
      expect(await conn.query('select hits, count(*)::int as n from t group by hits')).toEqual([{ hits: 1, n: 400 }])
    })
  })
})

/** Polls `sql` until it finds a row (`found`) or none (about 20 s at most). */
async function until(conn: Connection, sql: string, found: boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await conn.query(sql)).length > 0 === found) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${found ? 'a row of' : 'no row of'}: ${sql}`)
}
