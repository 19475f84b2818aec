/**
 * The lock budget on MariaDB, proven from the processlist and from counts, never from timing: an open
 * transaction that read a table holds its metadata lock, so the migration's ALTER TABLE waits. Each try waits
 * at most lock_wait_timeout (1 s, the shortest MySQL takes), then gives way and is retried with backoff until
 * --lock-deadline; a writer inserting in a loop gets rows in between the tries; the final error and every
 * retry name the holder's session; and a second runner meanwhile still names the runner that holds GET_LOCK.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { KeelError } from '../../../src/errors.js'
import { migrate } from '../../../src/migrate/runner.js'
import { withMysqlDatabase } from '../../support/databases.js'
import { projectsDisposedAfterAll, runKeel } from '../migrate/project.js'
import { assertBuilt } from '../migrate/spawn.js'

const project = projectsDisposedAfterAll()

const sessionId = (conn: Connection): number => (conn as unknown as { sessionId: number }).sessionId

/** Inserts one row after another until stopped; `done` counts the inserts that committed. */
function writerLoop(url: string) {
  const state = { done: 0, failed: 0, stop: false }
  const loop = (async () => {
    const conn = await openDatabase(url)
    for (let i = 1000; !state.stop; i++) {
      try {
        await conn.exec(`INSERT INTO t (id) VALUES (${i})`)
        state.done++
      } catch {
        state.failed++
      }
    }
    await conn.close()
  })()
  return { state, loop }
}

describe('the lock budget on MariaDB', () => {
  it('retries a blocked ALTER in short tries until --lock-deadline, names the holder, and lets writers through', async () => {
    assertBuilt()
    await withMysqlDatabase(async ({ url, conn }) => {
      await conn.exec('CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3)')
      const p = project()
      p.add('20260101000000_add', { 'up.sql': 'ALTER TABLE t ADD COLUMN note TEXT;\n' })
      // A report's transaction read the table and stays open: it holds the table's metadata lock.
      const holder = await openDatabase(url)
      await holder.exec('START TRANSACTION; SELECT COUNT(*) FROM t')
      const writer = writerLoop(url)
      const notices: string[] = []
      const writesAtNotice: number[] = []
      try {
        const running = migrate({
          url,
          migrationsDir: p.migrations,
          lockDeadlineMs: 6000,
          events: {
            onNotice: (text) => {
              notices.push(text)
              writesAtNotice.push(writer.state.done)
            },
          },
        }).then(
          () => undefined,
          (error: unknown) => error,
        )
        // While the first runner retries, a second one waits for the runner lock, then names who holds it.
        await waitFor(async () => notices.length > 0)
        const second = await migrate({ url, migrationsDir: p.migrations, lockWaitMs: 1000 }).catch((e: unknown) => e)
        expect(second).toBeInstanceOf(KeelError)
        expect((second as KeelError).code).toBe('LOCK_TIMEOUT')
        expect((second as KeelError).message).toMatch(/gave up after .* waiting for the migration lock/)
        expect((second as KeelError).message).toMatch(/held by "(keel-lock migrate \S+ from )?root@/)

        const error = await running
        expect(error).toBeInstanceOf(KeelError)
        const failure = error as KeelError
        expect(failure.code).toBe('MIGRATION_FAILED')
        expect(failure.message).toContain('Lock wait timeout exceeded')
        expect(failure.message).toContain(`the lock was held by pid ${sessionId(holder)} (`)
        expect(failure.message).toMatch(/idle in transaction, possibly the holder .*transaction open/)
        expect(failure.message).toMatch(/gave up after \d+ tries in [0-9.]+s \(its lock deadline of 6\.0s\)/)
        expect(failure.hint).toMatch(/End or wait for the session that holds the lock/)
        // Several short tries, each naming the holder, rather than one long wait.
        expect(notices.length).toBeGreaterThanOrEqual(2)
        for (const notice of notices) expect(notice).toContain(`the lock held by pid ${sessionId(holder)} (`)
        // Between two tries the ALTER left the lock queue, and the writer's inserts went through.
        expect(writesAtNotice.at(-1) as number).toBeGreaterThan(writesAtNotice[0] as number)
      } finally {
        writer.state.stop = true
        await writer.loop
        await holder.exec('COMMIT')
        await holder.close()
      }
      expect(await columns(conn, 't')).toEqual(['id'])
      const done = await runKeel(p, url, 'migrate')
      expect(done.code, done.stderr).toBe(0)
      expect(await columns(conn, 't')).toEqual(['id', 'note'])
    })
  }, 90_000)
})

async function columns(conn: Connection, table: string): Promise<readonly string[]> {
  const rows = await conn.query<{ name: string }>(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 ORDER BY ORDINAL_POSITION',
    [table],
  )
  return rows.map((r) => r.name)
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('timed out')
}
