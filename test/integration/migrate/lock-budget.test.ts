import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import { withDatabase } from '../../support/databases.js'
import { longReader, writerLoop } from '../../support/lock-sessions.js'
import { useProject } from './project.js'

// Issue 7 item 4, the default lock budget, proven from pg_locks / pg_stat_activity and from counts, never from
// timing: a long transaction holds a lock the migration's DDL needs while a writer inserts in a loop. With
// the defaults (a short lock_timeout per try, retries with backoff until a deadline) the DDL never stays in
// the lock queue: whenever the writer waits, it waits for the DDL's current try, and between any two tries
// the writer gets rows in. A concurrent index build, which blocks no writer, waits for the transaction instead.
const project = useProject()

describe('the default lock budget on postgres', () => {
  it('keeps writers moving while a long transaction blocks the DDL, and the DDL gets through after it ends', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table t (id int primary key); insert into t select generate_series(1, 100)')
      project.add('20260101000000_add', { 'up.sql': 'alter table t add column note text;\n' })
      const reader = await longReader(url)
      const writer = writerLoop(url)
      try {
        // The writer's committed inserts at each retry notice: they must grow from one try to the next.
        const writesAtNotice: number[] = []
        const notices: string[] = []
        const running = migrate({
          url,
          migrationsDir: project.migrations,
          events: {
            onNotice: (text) => {
              notices.push(text)
              writesAtNotice.push(writer.state.done)
            },
          },
        })
        // Watch the lock queue: whenever the writer waits for a lock, the session it waits for is the DDL's
        // (pg_blocking_pids), and the DDL is itself waiting (not granted).
        let writerWaits = 0
        for (let i = 0; i < 2000 && notices.length < 4; i++) {
          const rows = await conn.query<{ ddl_waiting: boolean; blockers: number[] }>(
            `select exists (select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
                             where l.relation = 't'::regclass and l.mode = 'AccessExclusiveLock' and not l.granted
                               and a.application_name like 'keel%') as ddl_waiting,
                    pg_blocking_pids($1) as blockers`,
            [writer.state.pid],
          )
          const [row] = rows
          if (row !== undefined && row.blockers.length > 0) {
            writerWaits++
            expect(row.blockers).not.toContain(reader.pid)
            expect(row.ddl_waiting).toBe(true)
          }
        }
        // The transaction ends; the next try gets the lock.
        await reader.client.query('commit')
        const result = await running
        writer.state.stop = true
        await writer.loop
        expect(result.applied.map((m) => m.version)).toEqual(['20260101000000'])
        expect(notices.length).toBeGreaterThanOrEqual(4)
        // Every try gave up at lock_timeout and named the long transaction's session.
        for (const notice of notices) {
          expect(notice).toContain('canceling statement due to lock timeout')
          expect(notice).toContain(`the lock held by pid ${reader.pid} (application "nightly-report"`)
          expect(notice).toMatch(/retrying in [0-9.]+s \(try \d+, [0-9.]+s of the 1min lock deadline spent\)/)
        }
        // Between any two tries the writer committed rows: it never stayed queued behind the DDL across tries.
        for (let i = 1; i < writesAtNotice.length; i++) {
          expect(writesAtNotice[i]).toBeGreaterThan(writesAtNotice[i - 1] as number)
        }
        // The writer did queue behind the DDL (that is what the short tries bound), only ever behind it.
        expect(writerWaits).toBeGreaterThan(0)
        expect(writer.state.failed).toBe(0)
        const [count] = await conn.query<{ n: number }>('select count(*)::int as n from t')
        expect(count?.n).toBe(100 + writer.state.done)
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
  })

  it('gives up at the deadline with an error that names the blocker and says how long it tried', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table t (id int primary key)')
      project.add('20260101000000_add', {
        'up.sql': '-- keel:lock-deadline 1s\nalter table t add column note text;\n',
      })
      const reader = await longReader(url)
      try {
        const error = (await migrate({ url, migrationsDir: project.migrations }).catch((e: unknown) => e)) as {
          code?: string
          message?: string
          hint?: string
        }
        expect(error.code).toBe('MIGRATION_FAILED')
        expect(error.message).toContain('canceling statement due to lock timeout')
        expect(error.message).toContain(`the lock was held by pid ${reader.pid} (application "nightly-report"`)
        expect(error.message).toMatch(/gave up after \d+ tries in [0-9.]+s \(its lock deadline of 1\.0s\)/)
        expect(error.hint).toContain('keel:lock-deadline')
        // Nothing of the migration happened.
        const [column] = await conn.query<{ n: number }>(
          "select count(*)::int as n from information_schema.columns where table_name = 't' and column_name = 'note'",
        )
        expect(column?.n).toBe(0)
      } finally {
        await reader.client.end()
      }
    })
  })

  it('lets a concurrent index build wait for a long transaction instead of failing at lock_timeout', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table t (id int primary key, v int)')
      project.add('20260101000000_idx', {
        'up.sql': '-- keel:no-transaction\ncreate index concurrently t_v_idx on t (v);\n',
      })
      // A transaction that wrote to the table: the build waits for it to end before it can start.
      const reader = await longReader(url, 'insert into t values (1, 1)')
      const notices: string[] = []
      try {
        const running = migrate({
          url,
          migrationsDir: project.migrations,
          events: { onNotice: (text) => notices.push(text) },
        })
        // The build waits for the open transaction (its lock on t), past many lock_timeouts of 50ms (the default).
        let waiting = 0
        for (let i = 0; i < 400 && waiting < 20; i++) {
          const rows = await conn.query(
            `select 1 from pg_stat_activity where application_name like 'keel%' and wait_event_type = 'Lock'
                and query ilike '%create index concurrently%'`,
          )
          if (rows.length > 0) waiting++
          await conn.query('select pg_sleep(0.05)')
        }
        expect(waiting).toBe(20)
        await reader.client.query('commit')
        await running
        expect(notices).toEqual([])
        const [index] = await conn.query<{ valid: boolean }>(
          "select indisvalid as valid from pg_index where indexrelid = 't_v_idx'::regclass",
        )
        expect(index?.valid).toBe(true)
      } finally {
        await reader.client.end()
      }
    })
  })
})
