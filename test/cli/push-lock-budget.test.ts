/**
 * `keel push` runs each step under the lock budget of `keel migrate` (shared retry loop, migrate/lock-retry.ts):
 * with a long transaction holding a lock the step needs, the step gives up at lock_timeout and retries instead
 * of sitting in the lock queue with every writer behind it; proven from pg_locks / pg_blocking_pids and counts,
 * not timing. Out of deadline, the error names the session that held the lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'
import { longReader, writerLoop } from '../support/lock-sessions.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-push-locks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'schema.sql'), 'create table t (id int primary key, note text);\n')

describe.concurrent('keel push under a lock budget', () => {
  it('retries a step behind a long transaction instead of queueing writers behind it, then applies it', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table t (id int primary key); insert into t select generate_series(1, 100)')
      const reader = await longReader(url)
      const writer = writerLoop(url)
      try {
        const pushing = runKeel(['push', '--schema', 'schema.sql', '--url', url], { cwd: dir })
        // Whenever the writer waits, it waits for push's current try (never the reader): push's ALTER is the one
        // not granted. And push's tries come and go: its lock request is seen missing between tries.
        let writerWaits = 0
        let seenWaiting = 0
        let seenGone = 0
        let waitingNow = false
        for (let i = 0; i < 4000 && (seenGone < 3 || writerWaits === 0); i++) {
          const [row] = await conn.query<{ ddl_waiting: boolean; blockers: number[] }>(
            `select exists (select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
                             where l.relation = 't'::regclass and l.mode = 'AccessExclusiveLock' and not l.granted
                               and a.application_name like 'keel%') as ddl_waiting,
                    pg_blocking_pids($1) as blockers`,
            [writer.state.pid],
          )
          if (row === undefined) continue
          // A try that gave up: push's request was in the queue at the last look and is gone now.
          if (row.ddl_waiting) waitingNow = true
          else if (waitingNow) {
            waitingNow = false
            seenGone++
          }
          if (row.ddl_waiting) seenWaiting++
          if (row.blockers.length > 0) {
            writerWaits++
            expect(row.blockers).not.toContain(reader.pid)
          }
        }
        const writesBefore = writer.state.done
        await reader.client.query('commit')
        const result = await pushing
        expect(result.stderr).toContain('canceling statement due to lock timeout')
        expect(result.stderr).toContain(`the lock held by pid ${reader.pid} (application "nightly-report"`)
        expect(result.stderr).toMatch(
          /step 1 \(.*\): .*retrying in [0-9.]+s \(try 2, [0-9.]+s of the 1min lock deadline/,
        )
        expect(result.code).toBe(0)
        expect(seenWaiting).toBeGreaterThan(0)
        expect(seenGone).toBeGreaterThanOrEqual(3)
        expect(writesBefore).toBeGreaterThan(0)
        writer.state.stop = true
        await writer.loop
        expect(writer.state.failed).toBe(0)
        const [column] = await conn.query<{ n: number }>(
          "select count(*)::int as n from information_schema.columns where table_name = 't' and column_name = 'note'",
        )
        expect(column?.n).toBe(1)
      } finally {
        writer.state.stop = true
        await writer.loop.catch(() => {})
        await reader.client.end()
      }
    })
  }, 120_000)

  it('gives up at the lock deadline, naming the session that held the lock, and applies nothing', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table t (id int primary key)')
      const reader = await longReader(url)
      try {
        const result = await runKeel(['push', '--schema', 'schema.sql', '--url', url, '--lock-deadline', '1s'], {
          cwd: dir,
        })
        expect(result.code).not.toBe(0)
        expect(result.stderr).toContain('error[APPLY_FAILED]')
        expect(result.stderr).toContain(`the lock was held by pid ${reader.pid} (application "nightly-report"`)
        expect(result.stderr).toMatch(/gave up after \d+ tr(?:y|ies) in [0-9.]+s \(its lock deadline of 1\.0s\)/)
        expect(result.stderr).toContain('Nothing was committed.')
        // The server never saw push's ALTER wait longer than one try: it is gone from the lock queue now.
        const [waiting] = await conn.query<{ n: number }>(
          "select count(*)::int as n from pg_locks where relation = 't'::regclass and not granted",
        )
        expect(waiting?.n).toBe(0)
      } finally {
        await reader.client.end()
      }
      const [column] = await conn.query<{ n: number }>(
        "select count(*)::int as n from information_schema.columns where table_name = 't' and column_name = 'note'",
      )
      expect(column?.n).toBe(0)
    })
  }, 120_000)
})
