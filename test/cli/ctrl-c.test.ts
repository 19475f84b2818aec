/**
 * Ctrl-C during `keel push` and `keel generate --apply`, as `keel migrate` has it (test/integration/migrate/interrupt.test.ts):
 * the first SIGINT lets what the server is running commit whole (a transaction of the pushed plan, a backfill batch, a
 * migration) and starts nothing after it; the process exits 1 with error[INTERRUPTED], and running the command again
 * finishes the work, each change once. Each run here is a real child process held at a known point by a lock this
 * test holds, so the Ctrl-C lands while the server works, whatever the machine's load.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { openDatabase } from '../../src/db/open.js'
import { introspectPostgres } from '../../src/dialect/postgres/introspect.js'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { Journal } from '../../src/migrate/journal.js'
import { markDrafts, sumDrafts } from '../../src/migrate/keel-sum.js'
import { runKeel, useProject, withConnection, withPgliteDir, withUrl } from '../integration/migrate/project.js'
import { assertBuilt, printed, type Spawned, spawnKeel, waitFor } from '../integration/migrate/spawn.js'
import { withDatabase } from '../support/databases.js'

beforeAll(() => assertBuilt())
// A lock wait in one try (no 50ms lock_timeout and retries), so that the run stays where this test holds it.
const project = useProject('export default { migrations: "migrations", schema: "schema.sql", lockTimeout: "60s" }\n')

const HELD = 4242

/** Sends Ctrl-C once `held` says the run waits where this test holds it, then lets it go on with `release`. */
async function interrupt(run: Spawned, held: () => Promise<boolean>, release: () => Promise<void>): Promise<void> {
  await waitFor(held)
  const noticed = printed(run, 'Ctrl-C: stopping after')
  run.child.kill('SIGINT')
  // Released only once the process has taken the Ctrl-C in: else the run might finish first.
  await noticed
  await release()
}

/**
 * Sends Ctrl-C to `run` once a session of `conn`'s database waits for the advisory lock HELD, which the test holds
 * on `conn`, then lets the lock go.
 */
function interruptWhileHeld(run: Spawned, conn: Connection): Promise<void> {
  const waiting = async () =>
    (
      await conn.query(
        "select 1 from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
      )
    ).length > 0
  return interrupt(run, waiting, async () => {
    await conn.query('select pg_advisory_unlock($1)', [HELD])
  })
}

/**
 * A run that is not interrupted, in this process (main(), its output captured): what it checks is what the database
 * holds after, not how a process takes Ctrl-C, and a `keel` process on a PGlite directory spent seconds of CPU
 * starting Node, loading the CLI and compiling PGlite's WebAssembly. The runs a Ctrl-C stops stay processes.
 */
const keel = (url: string, ...args: string[]) => runKeel(project, url, ...args)

const columnType = async (conn: Connection, table: string, column: string) =>
  (
    await conn.query<{ type: string }>(
      'select data_type as type from information_schema.columns where table_name = $1 and column_name = $2',
      [table, column],
    )
  )[0]?.type

const ROWS = 2500
const T = `create table t (id int primary key, n int);\ninsert into t select g, g from generate_series(1, ${ROWS}) g;\n`

describe('Ctrl-C during keel push on postgres', () => {
  it('stops between two transactions of the plan: the one running commits whole, nothing after it starts, push again finishes', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(`${T}create table u (id int primary key, v int);`)
      // t's int to bigint is phased (expand, backfill, contract); u's new index is built concurrently between them.
      writeFileSync(
        join(project.root, 'schema.sql'),
        'create table t (id int primary key, n bigint);\ncreate table u (id int primary key, v int);\ncreate index u_v on u (v);\ncreate index t_n on t (n);\n',
      )
      // A writer's open transaction on u: CREATE INDEX CONCURRENTLY waits for it to end.
      const writer = await openDatabase(url)
      try {
        await writer.exec('begin; insert into u values (0, 0)')
        const run = spawnKeel(project.root, ['push', '--config', project.config, '--url', url])
        await interrupt(
          run,
          async () =>
            (
              await conn.query(
                "select 1 from pg_stat_activity where datname = current_database() and query like 'CREATE INDEX CONCURRENTLY u_v%' and wait_event_type = 'Lock'",
              )
            ).length > 0,
          () => writer.exec('commit'),
        )
        const stopped = await run.done
        expect(stopped.code, stopped.stderr).toBe(1)
        expect(stopped.stderr).toMatch(
          /error\[INTERRUPTED\]: stopped by Ctrl-C: steps 1 to 2 of \d+ were committed, each transaction whole; step 3 \(Sync function for public\.t[^)]*\) and those after it did not start/,
        )
        expect(stopped.stderr).toContain('Run `keel push` again to apply the rest')
      } finally {
        await writer.close()
      }
      // The expand's column and the index committed; the sync function (the next transaction) never started.
      expect(await columnType(conn, 't', 'n_keel_new')).toBe('bigint')
      expect(await columnType(conn, 't', 'n')).toBe('integer')
      expect(
        await conn.query(
          "select c.relname as index, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname in ('u_v', 't_n')",
        ),
      ).toEqual([{ index: 'u_v', valid: true }])
      expect(await conn.query("select 1 from pg_proc where proname = 't_keel_sync'")).toEqual([])

      const again = await keel(url, 'push')
      expect(again.code, again.stderr).toBe(0)
      expect(await columnType(conn, 't', 'n')).toBe('bigint')
      expect(
        await conn.query('select count(*)::int as rows, count(*) filter (where n = id)::int as kept from t'),
      ).toEqual([{ rows: ROWS, kept: ROWS }])
      expect(await conn.query('select id, v from u')).toEqual([{ id: 0, v: 0 }])
      const last = await keel(url, 'push')
      expect(last.stdout).toContain('The database already matches the schema.')
    })
  })

  it('stops a backfill between two batches: the batch running commits, after the expand, and nothing after it starts', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      // The row 1500 (in the second batch of 1,000) waits, when updated, for an advisory lock this test holds.
      const hold = `create function hold_row() returns trigger language plpgsql as $$ begin perform pg_advisory_xact_lock_shared(${HELD}); return new; end $$;
create trigger hold_row before update on t for each row when (old.id = 1500) execute function hold_row();
`
      await conn.exec(`${T}${hold}`)
      writeFileSync(join(project.root, 'schema.sql'), `create table t (id int primary key, n bigint);\n${hold}`)
      await conn.query('select pg_advisory_lock($1)', [HELD])
      const run = spawnKeel(project.root, ['push', '--config', project.config, '--url', url])
      await interruptWhileHeld(run, conn)
      const stopped = await run.done
      expect(stopped.code, stopped.stderr).toBe(1)
      expect(stopped.stderr).toMatch(
        /error\[INTERRUPTED\]: stopped by Ctrl-C in the backfill of public\.t after 2000 rows \(2 batches committed with their progress\), in step 5 of \d+ \(Backfill public\.t\.n_keel_new[^)]*\); steps 1 to 4 of \d+ were committed/,
      )
      expect(stopped.stderr).toContain('Run `keel push` again to apply the rest')
      // Two batches whole, the third never started; the sync trigger stays to keep new writes in step.
      expect(
        await conn.query(
          'select count(*)::int as done, count(*) filter (where n_keel_new = n)::int as same, max(id)::int as last from t where n_keel_new is not null',
        ),
      ).toEqual([{ done: 2000, same: 2000, last: 2000 }])
      // The expand committed whole: its trigger keeps what the old release writes in step.
      await conn.exec('insert into t (id, n) values (9999, 9999)')
      expect(await conn.query('select n_keel_new::int as copied from t where id = 9999')).toEqual([{ copied: 9999 }])
      expect(await columnType(conn, 't', 'n')).toBe('integer')

      // Push again, over the column, function and trigger left: it finishes as one push that was never stopped.
      await expectRepushFinishes(url, `${T}${hold}`)
    })
  })
})

/** What the old release writes after the stop (the row 1 was backfilled already), and the row each test inserted. */
const WRITES = 'update t set n = -1 where id = 1;\ninsert into t (id, n) values (9999, 9999);\n'

/**
 * Pushes again to `url` (stopped in its backfill; the row 9999 inserted since): it succeeds, and leaves the schema
 * and the rows an uninterrupted push leaves on a database made of `setup` and `WRITES`. Connections are opened for a
 * moment only: a PGlite directory allows one at a time, and the push is one.
 */
async function expectRepushFinishes(url: string, setup: string): Promise<void> {
  await withConnection(url, (conn) => conn.exec('update t set n = -1 where id = 1'))
  const again = await keel(url, 'push')
  expect(again.code, again.stderr).toBe(0)
  const result = (conn: Connection) =>
    Promise.all([
      introspectPostgres(conn, { namespaces: ['public'] }),
      conn.query<{ id: number; n: string }>('select id, n::text as n from t order by id'),
    ])
  const [schema, rows] = await withConnection(url, result)
  expect(rows).toHaveLength(ROWS + 1)
  expect(rows[0]).toEqual({ id: 1, n: '-1' })
  expect(rows.every((r) => r.id === 1 || r.n === String(r.id))).toBe(true)
  await withUrl(url.startsWith('pglite:') ? 'pglite' : 'postgres', async (reference) => {
    await withConnection(reference, (conn) => conn.exec(`${setup}${WRITES}`))
    const once = await keel(reference, 'push')
    expect(once.code, once.stderr).toBe(0)
    expect({ schema, rows }).toEqual(
      await withConnection(reference, async (conn) => {
        const [s, r] = await result(conn)
        return { schema: s, rows: r }
      }),
    )
  })
}

// Three keel runs, each opening the PGlite directory: a minute on a loaded machine.
describe('a push stopped in its backfill on pglite, then pushed again', { timeout: 180_000 }, () => {
  it('finishes over what the stopped push left, as an uninterrupted push does', async () => {
    await withPgliteDir(async (url) => {
      // A batch that fails stops the push part-way, as a crash would, after the expand and the first batch committed:
      // the row 1500 (the second batch) refuses its update while stop_here has a row.
      const stop = `create table stop_here (id int primary key);
create function stop_row() returns trigger language plpgsql as $$ begin if exists (select 1 from stop_here) then raise exception 'stopped here'; end if; return new; end $$;
create trigger stop_row before update on t for each row when (old.id = 1500) execute function stop_row();
`
      await withConnection(url, (conn) => conn.exec(`${T}${stop}insert into stop_here values (1);\n`))
      writeFileSync(join(project.root, 'schema.sql'), `create table t (id int primary key, n bigint);\n${stop}`)
      const stopped = await keel(url, 'push')
      expect(stopped.code, stopped.stderr).toBe(1)
      expect(stopped.stderr).toContain('stopped here')
      await withConnection(url, async (conn) => {
        expect(await columnType(conn, 't', 'n')).toBe('integer')
        expect(await conn.query("select 1 as left from pg_trigger where tgname = 't_keel_sync'")).toEqual([{ left: 1 }])
        expect(await conn.query('select count(n_keel_new)::int as done from t')).toEqual([{ done: 1000 }])
        await conn.exec('delete from stop_here;\ninsert into t (id, n) values (9999, 9999);\n')
      })
      await expectRepushFinishes(url, `${T}${stop}`)
    })
  })
})

describe('Ctrl-C during keel generate --apply on postgres', () => {
  it('stops after the migration running: applied ones are sealed, the rest (the one just written too) stay pending drafts', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const ids = ['20260101000000_ran', '20260102000000_held', '20260103000000_three', '20260104000000_four']
      project.add(ids[0] as string, { 'up.sql': 'create table ran (n int not null);\ninsert into ran values (1);\n' })
      // Waits for this test's lock on the target only: generate replays it on a scratch database first.
      project.add(ids[1] as string, {
        'up.sql': `insert into ran values (2);\nselect pg_advisory_xact_lock(${HELD});\n`,
      })
      project.add(ids[2] as string, { 'up.sql': 'insert into ran values (3);\n' })
      project.add(ids[3] as string, { 'up.sql': 'insert into ran values (4);\n' })
      markDrafts(readMigrationsDirectory(project.migrations), ids)
      writeFileSync(
        join(project.root, 'schema.sql'),
        'create table ran (n int not null);\ncreate table extra (id int primary key);\n',
      )
      await conn.query('select pg_advisory_lock($1)', [HELD])
      const run = spawnKeel(project.root, ['generate', 'extra', '--apply', '--config', project.config, '--url', url])
      await interruptWhileHeld(run, conn)
      const stopped = await run.done
      expect(stopped.code, stopped.stderr).toBe(1)
      expect(stopped.stderr).toContain('error[INTERRUPTED]: stopped by Ctrl-C after applying')

      const directory = readMigrationsDirectory(project.migrations)
      const written = directory.migrations.at(-1)?.id as string
      expect(written).toMatch(/_extra$/)
      const applied = (await new Journal(conn, 'public').list()).filter((r) => r.status === 'applied')
      const appliedIds = applied.map((r) => `${r.version}_${r.name}`)
      // Those sent with the held one in its text commit with it; nothing after them starts.
      expect(appliedIds.length).toBeGreaterThanOrEqual(2)
      expect(appliedIds).toEqual(ids.slice(0, appliedIds.length))
      expect(stopped.stderr).toContain(`after applying ${appliedIds.length} migrations`)
      expect(await conn.query('select n, count(*)::int as times from ran group by n order by n')).toEqual(
        appliedIds.map((_, i) => ({ n: i + 1, times: 1 })),
      )
      expect(await conn.query("select to_regclass('extra') is null as none")).toEqual([{ none: true }])
      expect([...sumDrafts(directory)].sort()).toEqual([...ids.slice(appliedIds.length), written].sort())

      const again = await keel(url, 'migrate')
      expect(again.code, again.stderr).toBe(0)
      expect(await conn.query('select n, count(*)::int as times from ran group by n order by n')).toEqual(
        ids.map((_, i) => ({ n: i + 1, times: 1 })),
      )
      expect(await conn.query("select to_regclass('extra') is null as none")).toEqual([{ none: false }])
    })
  })
})
