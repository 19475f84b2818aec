import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { RUNNER_LOCK_KEYS } from '../../../src/dialect/postgres/runner/advisory-lock.js'
import { Journal } from '../../../src/migrate/journal.js'
import { withDatabase } from '../../support/databases.js'
import { runKeel, useProject } from './project.js'
import { assertBuilt, spawnKeel } from './spawn.js'

// What only a server's sessions show: a runner's session that goes on after the runner died, and a lock held by
// another program. Several runners at once on every database: the shared suite test/support/suites/concurrency.ts.
const project = useProject()
beforeAll(() => assertBuilt())

const rows = (conn: Connection) => new Journal(conn, 'public').list()
const args = (url: string, ...rest: string[]) => [...rest, '--config', project.config, '--url', url]

/** Waits until a keel session of the database runs a statement matching `pattern`. */
async function waitForQuery(conn: Connection, pattern: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const found = await conn.query(
      `select 1 from pg_stat_activity where datname = current_database() and application_name like 'keel-run %' and query like $1 and state = 'active'`,
      [pattern],
    )
    if (found.length > 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no keel session ran ${pattern}`)
}

describe('runners in separate processes on postgres', () => {
  // A transactional migration travels in one text with its journal row and COMMIT: a runner killed after sending
  // it leaves a session that commits the migration whole with its row, or rolls both back.
  const slowMigration = () => {
    project.add('20260101000000_first', { 'up.sql': 'create table first (id int);\n' })
    project.add('20260102000000_slow', {
      'up.sql': 'create table x (id int);\ninsert into x values (1);\nselect pg_sleep(2);\ncreate table y (id int);\n',
    })
  }

  it('SIGKILL mid transactional migration: its session commits it with its journal row, the next migrate waits and finds it applied', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      slowMigration()
      const run = spawnKeel(project.root, args(url, 'migrate'))
      await waitForQuery(conn, '%pg_sleep%')
      run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')
      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout).applied).toEqual([])
      expect(await conn.query('select count(*)::int as n from x')).toEqual([{ n: 1 }])
      expect(await conn.query("select to_regclass('y') is not null as y")).toEqual([{ y: true }])
      const journal = await rows(conn)
      expect(journal.map((r) => [r.version, r.status, r.completedStatements])).toEqual([
        ['20260101000000', 'applied', 1],
        ['20260102000000', 'applied', 4],
      ])
      // The server finished the row's duration: the pg_sleep is in it, though the runner was gone.
      expect(journal[1]?.durationMs).toBeGreaterThanOrEqual(2000)
    })
  })

  it('SIGKILL mid transactional migration, its session ended before the COMMIT: nothing of it stays, the next migrate applies it once', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      slowMigration()
      const run = spawnKeel(project.root, args(url, 'migrate'))
      await waitForQuery(conn, '%pg_sleep%')
      run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')
      await conn.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name like 'keel-run %'",
      )
      const status = await runKeel(project, url, 'status', '--json')
      expect(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state)).toEqual([
        'applied',
        'pending',
      ])
      expect(await conn.query("select to_regclass('x') is not null as x")).toEqual([{ x: false }])
      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout).applied.map((m: { version: string }) => m.version)).toEqual(['20260102000000'])
      expect(await conn.query('select count(*)::int as n from x')).toEqual([{ n: 1 }])
      expect((await rows(conn)).map((r) => [r.version, r.status])).toEqual([
        ['20260101000000', 'applied'],
        ['20260102000000', 'applied'],
      ])
    })
  })

  it('SIGKILL while migrations share a text: each commits once with its row, by the orphaned session or the next run', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_hits', { 'up.sql': 'create table hits (name text);\n' })
      // After the first (alone), texts of 2, then 4 migrations: the kill lands in the second text's second one.
      for (let i = 2; i <= 7; i++) {
        const sleep = i === 5 ? 'select pg_sleep(2);\n' : ''
        project.add(`2026010${i}000000_m${i}`, {
          'up.sql': `insert into hits values ('m${i}');\n${sleep}create table t${i} (id int);\n`,
        })
      }
      const run = spawnKeel(project.root, args(url, 'migrate'))
      await waitForQuery(conn, '%pg_sleep%')
      run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')
      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(await conn.query('select name, count(*)::int as n from hits group by name order by name')).toEqual(
        [2, 3, 4, 5, 6, 7].map((i) => ({ name: `m${i}`, n: 1 })),
      )
      const journal = await rows(conn)
      expect(journal.map((r) => [r.version, r.status, r.completedStatements])).toEqual([
        ['20260101000000', 'applied', 1],
        ...[2, 3, 4, 5, 6, 7].map((i) => [`2026010${i}000000`, 'applied', i === 5 ? 3 : 2]),
      ])
      expect(journal[4]?.durationMs).toBeGreaterThanOrEqual(2000)
    })
  })

  it('SIGKILL mid no-transaction migration: status says partial at statement k, the next migrate resumes at k+1', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_backfill', {
        'up.sql': [
          '-- keel:no-transaction',
          'create table z (id int);',
          'create index concurrently z_id_idx on z (id);',
          'select pg_sleep(2);',
          'insert into z values (1);',
        ].join('\n'),
      })
      const run = spawnKeel(project.root, args(url, 'migrate'))
      await waitForQuery(conn, '%pg_sleep%')
      run.child.kill('SIGKILL')
      await run.done
      const status = await runKeel(project, url, 'status', '--json')
      expect(status.code).toBe(1)
      const [state] = JSON.parse(status.stdout).migrations
      expect([state.state, state.completedStatements, state.totalStatements]).toEqual(['partial', 2, 4])
      expect((await runKeel(project, url, 'status')).stdout).toContain(
        'partial: 2 of 4 statements committed (interrupted)',
      )
      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout).applied).toMatchObject([{ version: '20260101000000', resumedAt: 3 }])
      expect(await conn.query('select count(*)::int as n from z')).toEqual([{ n: 1 }])
      const [row] = await rows(conn)
      expect([row?.status, row?.completedStatements]).toEqual(['applied', 4])
    })
  })

  it('a waiting runner names the holder of the lock and gives up with LOCK_TIMEOUT', async () => {
    await withDatabase('postgres', async ({ url }) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      const holder = await openDatabase(url, 'deploy-script-42')
      try {
        await holder.query('select pg_advisory_lock($1, $2)', [...RUNNER_LOCK_KEYS])
        const [{ pid }] = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')) as [{ pid: number }]
        const started = Date.now()
        const run = await runKeel(project, url, 'migrate', '--lock-wait', '1s')
        expect(run.code).toBe(1)
        expect(run.stderr).toContain('error[LOCK_TIMEOUT]')
        expect(run.stderr).toContain(`held by "deploy-script-42" (pid ${pid}) since`)
        expect(Date.now() - started).toBeLessThan(10_000)
        await holder.query('select pg_advisory_unlock($1, $2)', [...RUNNER_LOCK_KEYS])
        expect((await runKeel(project, url, 'migrate')).code).toBe(0)
      } finally {
        await holder.close()
      }
    })
  })
})
