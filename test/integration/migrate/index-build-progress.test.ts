import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { planPostgres } from '../../../src/dialect/postgres/plan.js'
import type { IndexBuildEvent } from '../../../src/migrate/watch-build.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { index, nameOf } from '../../../src/schema/build.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { withDatabase } from '../../support/databases.js'
import { runKeel, useProject } from './project.js'

// Issue 7 item 4: a concurrent index build that runs for more than a second reports where it stands, from
// pg_stat_progress_create_index read on a second session, in `keel migrate` (the runner lock's session) and in
// `keel push` (applyPlan's monitor). The build is made to last without a big table: a writer's open
// transaction keeps CREATE INDEX CONCURRENTLY in its "waiting for writers before build" phase until the test
// commits it, which it does once the progress view has been read during the wait.
const project = useProject()

const SETUP = 'create table t (id int primary key, n int); insert into t select g, g from generate_series(1, 100) g'

/** Resolves once some session other than ours has read pg_stat_progress_create_index (the progress poll) and is done. */
async function progressRead(conn: Connection): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    const rows = await conn.query(
      // Finished (idle), so that what it read was read while the writer was still open.
      "select 1 from pg_stat_activity where pid <> pg_backend_pid() and query like '%pg_stat_progress_create_index%' and state = 'idle' and datname = current_database()",
    )
    if (rows.length > 0) return
    await conn.query('select pg_sleep(0.02)')
  }
  throw new Error('the progress view was never read')
}

describe('index-build progress (PostgreSQL)', () => {
  it('keel migrate --json reports a long concurrent build as index-build events on stderr', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(SETUP)
      project.add('20260101000000_index', {
        'up.sql': '-- keel:no-transaction\ncreate index concurrently t_n_idx on t (n);\n',
      })
      const writer = await openDatabase(url)
      try {
        await writer.exec('begin; insert into t values (1000, 1)')
        const run = runKeel(project, url, 'migrate', '--json')
        await progressRead(conn)
        await writer.exec('commit')
        const { code, stderr } = await run
        expect(code).toBe(0)
        const events = stderr
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as IndexBuildEvent & { event: string })
          .filter((e) => e.event === 'index-build')
        expect(events[0]).toMatchObject({
          event: 'index-build',
          index: 'public.t_n_idx',
          table: 'public.t',
          phase: 'waiting for writers before build',
          unit: 'transactions',
          done: 0,
          total: 1,
          where: expect.stringContaining('up.sql:2'),
          finished: false,
        })
        expect(events.at(-1)).toMatchObject({ index: 'public.t_n_idx', finished: true })
      } finally {
        await writer.close()
      }
    })
  })

  it('keel push (applyPlan with a monitor session) reports it too', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(SETUP)
      const plan = planPostgres(
        [{ kind: 'createIndex', table: nameOf('public.t'), index: index('t_n_idx', ['n']) }],
        safePolicy,
      )
      const [writer, worker, monitor] = [await openDatabase(url), await openDatabase(url), await openDatabase(url)]
      const events: IndexBuildEvent[] = []
      try {
        await writer.exec('begin; insert into t values (1000, 1)')
        const run = applyPlan(worker, plan, {
          locks: { lockTimeout: '100ms', lockRetries: 3, lockDeadlineMs: 60_000 },
          monitor,
          onIndexBuild: (e) => events.push(e),
        })
        await progressRead(conn)
        await writer.exec('commit')
        await run
        expect(events[0]).toMatchObject({ index: 'public.t_n_idx', phase: 'waiting for writers before build' })
        expect(events.at(-1)?.finished).toBe(true)
      } finally {
        for (const c of [writer, worker, monitor]) await c.close()
      }
    })
  })
})
