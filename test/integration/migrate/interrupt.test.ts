/**
 * Ctrl-C during `keel migrate` (SIGINT, as a terminal sends it): the first asks the runner to stop once the running
 * migration ends, which then commits whole with its journal row, and nothing after it starts; the process exits 1
 * with error[INTERRUPTED], and the next `keel migrate` applies the rest, each migration exactly once.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { RUNNER_LOCK_KEYS } from '../../../src/dialect/postgres/runner/advisory-lock.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { Journal } from '../../../src/migrate/journal.js'
import { markDrafts, sumDrafts } from '../../../src/migrate/keel-sum.js'
import { withDatabase } from '../../support/databases.js'
import { runKeel, useProject } from './project.js'
import { assertBuilt, spawnKeel, waitFor, waitForRunnerQuery } from './spawn.js'

beforeAll(() => assertBuilt())
const project = useProject()

const COUNT = 6
const versionOf = (n: number) => `2026010${n}000000`

/** Six migrations; each records that it ran, and the second sleeps long enough to be interrupted mid-way. */
function addMigrations(): void {
  project.add(`${versionOf(1)}_ran`, { 'up.sql': 'create table ran (n int not null);\ninsert into ran values (1);\n' })
  for (let n = 2; n <= COUNT; n++) {
    const sleep = n === 2 ? 'select pg_sleep(1.5);\n' : ''
    project.add(`${versionOf(n)}_step_${n}`, { 'up.sql': `insert into ran values (${n});\n${sleep}` })
  }
}

const ranCounts = async (conn: Connection) =>
  conn.query<{ n: number; times: number }>('select n, count(*)::int as times from ran group by n order by n')

describe('Ctrl-C during keel migrate on postgres', () => {
  it('stops after the running migration: it commits whole with its row, nothing after it starts, the rest applies next time', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      addMigrations()
      const run = spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
      await waitForRunnerQuery(conn, '%pg_sleep%')
      run.child.kill('SIGINT')
      const stopped = await run.done
      expect(stopped.code, stopped.stderr).toBe(1)
      expect(stopped.stderr).toContain('error[INTERRUPTED]')
      const journal = await new Journal(conn, 'public').list()
      // The sleeping migration was sent with those before it in its group: every migration sent commits, whole,
      // once; none after the group starts. Which ones were grouped is the runner's choice, so the count is a range.
      const applied = journal.filter((r) => r.status === 'applied').map((r) => r.version)
      expect(applied.length).toBeGreaterThanOrEqual(2)
      expect(applied.length).toBeLessThan(COUNT)
      expect(applied).toEqual(Array.from({ length: applied.length }, (_, i) => versionOf(i + 1)))
      expect(stopped.stderr).toContain(`after applying ${applied.length} migrations`)
      expect(stopped.stderr).toContain(
        `${COUNT - applied.length} migration${COUNT - applied.length === 1 ? '' : 's'} of this run not started`,
      )
      expect(await ranCounts(conn)).toEqual(applied.map((_, i) => ({ n: i + 1, times: 1 })))

      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout).applied).toHaveLength(COUNT - applied.length)
      expect(await ranCounts(conn)).toEqual(Array.from({ length: COUNT }, (_, i) => ({ n: i + 1, times: 1 })))
    })
  })

  it('a second Ctrl-C quits at once; the migrations sent still commit whole, once, with their rows', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      addMigrations()
      const run = spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
      await waitForRunnerQuery(conn, '%pg_sleep%')
      run.child.kill('SIGINT')
      await new Promise((r) => setTimeout(r, 100))
      run.child.kill('SIGINT')
      const stopped = await run.done
      expect(stopped.signal).toBe('SIGINT')
      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      const journal = await new Journal(conn, 'public').list()
      expect(journal.map((r) => [r.version, r.status])).toEqual(
        Array.from({ length: COUNT }, (_, i) => [versionOf(i + 1), 'applied']),
      )
      expect(await ranCounts(conn)).toEqual(Array.from({ length: COUNT }, (_, i) => ({ n: i + 1, times: 1 })))
    })
  })

  it('before any migration starts, Ctrl-C ends the process at once, as it always did', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      addMigrations()
      // This session holds the runner lock, so the run waits for it and has applied nothing when Ctrl-C comes.
      await conn.query('select pg_advisory_lock($1, $2)', [...RUNNER_LOCK_KEYS])
      try {
        const waiting = spawnKeel(project.root, [
          'migrate',
          '--config',
          project.config,
          '--url',
          url,
          '--lock-wait',
          '60s',
        ])
        await new Promise((r) => setTimeout(r, 1500))
        waiting.child.kill('SIGINT')
        expect((await waiting.done).signal).toBe('SIGINT')
        expect(await conn.query("select to_regclass('ran') is null as none")).toEqual([{ none: true }])
      } finally {
        await conn.query('select pg_advisory_unlock($1, $2)', [...RUNNER_LOCK_KEYS])
      }
    })
  })

  it('in a backfill, stops between batches: the batch running commits with its progress, and the next run goes on from it', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add(`${versionOf(1)}_t`, {
        'up.sql': `create table t (id int primary key, hits int not null default 0, label text);
insert into t (id) select g from generate_series(1, 400) g;
create function slow_row() returns trigger language plpgsql as $$ begin perform pg_sleep(1); return new; end $$;
create trigger slow_row before update on t for each row when (old.id = 155) execute function slow_row();
`,
      })
      project.add(`${versionOf(2)}_fill`, {
        'up.sql':
          "-- keel:phase backfill\n-- keel:no-transaction\n-- keel:batch-size 10\nupdate t set hits = hits + 1, label = 'n' || id where label is null;\n",
      })
      // Both written as drafts (as `keel generate` leaves them): what the run applies is sealed, also when it stops.
      markDrafts(readMigrationsDirectory(project.migrations), [`${versionOf(1)}_t`, `${versionOf(2)}_fill`])
      const run = spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
      // The 16th batch (ids 151-160) is held in the server by the trigger when Ctrl-C comes.
      await waitForRunnerQuery(conn, '%update%')
      await waitFor(
        async () =>
          (
            await conn.query(
              "select 1 from pg_stat_activity where datname = current_database() and wait_event = 'PgSleep'",
            )
          ).length > 0,
      )
      run.child.kill('SIGINT')
      const stopped = await run.done
      expect(stopped.code, stopped.stderr).toBe(1)
      expect(stopped.stderr).toContain('error[INTERRUPTED]: stopped by Ctrl-C in the backfill of t after 160 rows')
      const [saved] = await conn.query<{ rows: number; status: string }>(
        `select (backfill_progress->>'rows')::int as rows, status from keel_migrations where version = '${versionOf(2)}'`,
      )
      expect(saved).toEqual({ rows: 160, status: 'partial' })
      expect([...sumDrafts(readMigrationsDirectory(project.migrations))]).toEqual([`${versionOf(2)}_fill`])
      expect(await conn.query('select hits, count(*)::int as n from t group by hits order by hits')).toEqual([
        { hits: 0, n: 240 },
        { hits: 1, n: 160 },
      ])
      await conn.exec('drop trigger slow_row on t')
      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(await conn.query('select hits, count(*)::int as n from t group by hits')).toEqual([{ hits: 1, n: 400 }])
    })
  })
})
