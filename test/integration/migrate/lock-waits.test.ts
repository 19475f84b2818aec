import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import { withDatabase } from '../../support/databases.js'
import { useProject } from './project.js'

// Issue 7 item 4, proven from pg_locks and pg_stat_activity, not from timing: with a transaction left open
// on the table, a DDL gives up waiting at lock_timeout (it does not sit in the lock queue, where every
// writer would queue behind it), is retried, and the final error names the session that held the lock.
const project = useProject()

describe('lock waits on postgres', () => {
  it('time out, retry, leave writers unblocked between tries, and name the blocker', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table t (id int primary key); insert into t values (1)')
      project.add('20260101000000_add', { 'up.sql': 'alter table t add column note text;\n' })
      const blocker = new pg.Client({ connectionString: url, application_name: 'forgotten-report' })
      await blocker.connect()
      try {
        await blocker.query('begin')
        await blocker.query('select * from t')
        const [{ pid } = { pid: 0 }] = (await blocker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows
        const notices: string[] = []
        const running = migrate({
          url,
          migrationsDir: project.migrations,
          lockTimeout: '300ms',
          lockRetries: 2,
          events: { onNotice: (text) => notices.push(text) },
        }).catch((e: unknown) => e)
        // While the DDL waits it is in the lock queue (not granted); between its tries it is not, and a writer
        // gets through at once.
        let sawWaiting = false
        let writerBetweenTries = false
        for (let i = 0; i < 200 && !(sawWaiting && writerBetweenTries); i++) {
          const waiting = await conn.query(
            "select 1 from pg_locks where relation = 't'::regclass and mode = 'AccessExclusiveLock' and not granted",
          )
          if (waiting.length > 0) sawWaiting = true
          else if (sawWaiting) {
            await conn.exec("set lock_timeout = '50ms'; insert into t values (100 + " + i + '); reset lock_timeout')
            writerBetweenTries = true
          }
          await conn.query('select pg_sleep(0.02)')
        }
        const error = (await running) as { code?: string; message?: string }
        expect([sawWaiting, writerBetweenTries]).toEqual([true, true])
        expect(notices.filter((n) => n.includes('lock timeout') && n.includes('retrying'))).toHaveLength(2)
        expect(error.code).toBe('MIGRATION_FAILED')
        expect(error.message).toContain('canceling statement due to lock timeout')
        expect(error.message).toMatch(
          new RegExp(
            `the lock was held by pid ${pid} \\(application "forgotten-report", idle in transaction, transaction open [0-9.]+s\\): select pg_backend_pid\\(\\) as pid`,
          ),
        )
      } finally {
        await blocker.end()
      }
    })
  })
})
