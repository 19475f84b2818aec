/**
 * `keel migrate` processes on one MariaDB database: four at once apply each migration exactly once (the
 * GET_LOCK runner lock); runners SIGKILLed again and again between statements never apply a statement
 * twice (DDL is journaled right after its implicit commit, and a resume asks the catalog about the one
 * statement the journal may lag by; DML commits with its progress).
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { withMysqlDatabase } from '../../support/databases.js'
import { projectsDisposedAfterAll, type TestProject } from '../migrate/project.js'
import { assertBuilt, heldAlterSessions, killedWhileAlterWaits, spawnKeel, waitFor } from '../migrate/spawn.js'

const project = projectsDisposedAfterAll()

const args = (p: TestProject, url: string, ...rest: string[]) => [...rest, '--config', p.config, '--url', url]

describe('runner processes on MariaDB', () => {
  it('four runners at once apply each migration exactly once', async () => {
    assertBuilt()
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      for (const i of [1, 2, 3]) {
        p.add(`2026120100000${i}_m${i}`, {
          'up.sql': `${i === 1 ? 'CREATE TABLE hits (n INT);\n' : ''}ALTER TABLE hits ADD COLUMN c${i} INT;\nINSERT INTO hits (n) VALUES (${i});\n`,
        })
      }
      const runs = await Promise.all([1, 2, 3, 4].map(() => spawnKeel(p.root, args(p, url, 'migrate')).done))
      expect(
        runs.map((r) => r.code),
        runs.map((r) => r.stderr).join('\n'),
      ).toEqual([0, 0, 0, 0])
      expect(await conn.query('SELECT n FROM hits ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
      expect(await conn.query('SELECT version, status FROM keel_migrations ORDER BY version')).toEqual([
        { version: '20261201000001', status: 'applied' },
        { version: '20261201000002', status: 'applied' },
        { version: '20261201000003', status: 'applied' },
      ])
      // The lock died with its session.
      expect(await conn.query("SELECT IS_FREE_LOCK(CONCAT('keel_migrations:', DATABASE())) AS free")).toEqual([
        { free: 1 },
      ])
    })
  })

  it('SIGKILL between statements never applies one twice', async () => {
    assertBuilt()
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      const statements = ['CREATE TABLE log (i INT NOT NULL);']
      for (let i = 1; i <= 10; i++) {
        statements.push(`CREATE TABLE t${i} (id INT);`)
        statements.push(`INSERT INTO log VALUES (${i});`)
        statements.push(`ALTER TABLE t${i} ADD COLUMN v INT, ADD INDEX t${i}_v (v);`)
      }
      p.add('20261201000001_many', { 'up.sql': statements.join('\n') })
      let kills = 0
      let last = -1
      for (let attempt = 0; attempt < 15; attempt++) {
        const run = spawnKeel(p.root, args(p, url, 'migrate'))
        // Killed right after the journal moved on by a few statements: between two statements (or during the
        // next one). After ten kills the run is left to finish.
        const killed = kills < 10 ? await killOnProgress(conn, run.child, last + 1 + (attempt % 3)) : undefined
        const result = await run.done
        if (!killed) {
          expect(result.code, result.stderr).toBe(0)
          break
        }
        kills++
        last = killed.completed
      }
      expect(kills).toBe(10)
      expect(await conn.query('SELECT i FROM log ORDER BY i')).toEqual(
        Array.from({ length: 10 }, (_, k) => ({ i: k + 1 })),
      )
      expect(await conn.query('SELECT status, completed_statements AS n FROM keel_migrations')).toEqual([
        { status: 'applied', n: statements.length },
      ])
      const columns = await conn.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'v'",
      )
      expect(columns).toEqual([{ n: 10 }])
    })
  }, 120_000)
})

describe('a runner killed while its statement still runs on MariaDB', () => {
  it('its ALTER, still waiting server-side for a metadata lock, applies once; a runner meanwhile fails within its lock budget naming the holder; the next finishes', async () => {
    assertBuilt()
    await withMysqlDatabase(async ({ url, conn }) => {
      await conn.exec('CREATE TABLE held (id INT PRIMARY KEY)')
      const p = project()
      p.add('20261201000001_alter', {
        'up.sql': 'CREATE TABLE first (id INT);\nALTER TABLE held ADD COLUMN v INT;\nCREATE TABLE last (id INT);\n',
      })
      // A reader's open transaction holds the table's metadata lock: the ALTER waits for it, server-side.
      await killedWhileAlterWaits(
        url,
        conn,
        () => spawnKeel(p.root, args(p, url, 'migrate')),
        async (holder) => {
          // The runner is gone; its ALTER still waits in the server.
          expect((await heldAlterSessions(conn)).length).toBe(1)
          // A second runner started now waits for the orphan to end (it gives up within one lock_wait_timeout),
          // then tries the ALTER itself in short tries until its lock deadline, and fails naming the reader.
          const second = await spawnKeel(p.root, args(p, url, 'migrate', '--lock-deadline', '3s')).done
          expect(second.code, second.stderr).toBe(1)
          expect(second.stderr).toMatch(/^error\[MIGRATION_FAILED\]: .*up\.sql:2: Lock wait timeout exceeded/m)
          expect(second.stderr).toContain(
            `the lock was held by pid ${(holder as unknown as { sessionId: number }).sessionId} (`,
          )
          expect(second.stderr).toMatch(/gave up after \d+ tries? in [0-9.]+s \(its lock deadline of 3\.0s\)/)
        },
      )
      await waitFor(async () => (await heldAlterSessions(conn)).length === 0)
      const done = await spawnKeel(p.root, args(p, url, 'migrate')).done
      expect(done.code, done.stderr).toBe(0)
      const columns = await conn.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'held'",
      )
      expect(columns).toEqual([{ n: 2 }])
      expect(await conn.query('SELECT status, completed_statements AS n FROM keel_migrations')).toEqual([
        { status: 'applied', n: 3 },
      ])
    })
  }, 60_000)
})

/**
 * Polls the journal and SIGKILLs the runner as soon as its progress reaches `after`; resolves with the
 * progress seen, or undefined when the runner ended first.
 */
async function killOnProgress(
  conn: Connection,
  child: import('node:child_process').ChildProcess,
  after: number,
): Promise<{ completed: number } | undefined> {
  let exited = false
  child.once('exit', () => {
    exited = true
  })
  while (!exited) {
    const rows = await conn
      .query<{ n: number; status: string }>('SELECT completed_statements AS n, status FROM keel_migrations')
      .catch(() => [])
    const [row] = rows
    if (row !== undefined && Number(row.n) >= after && row.status !== 'applied') {
      child.kill('SIGKILL')
      return { completed: Number(row.n) }
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  return undefined
}
