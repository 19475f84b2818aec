import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { planPostgres } from '../../../src/dialect/postgres/plan.js'
import type { Change } from '../../../src/diff/change.js'
import { renderMigrations } from '../../../src/migrate/render-migration.js'
import { migrate } from '../../../src/migrate/runner.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { check, col, fk, nameOf } from '../../../src/schema/build.js'
import { withDatabase } from '../../support/databases.js'
import { useProject } from './project.js'

// Item 0 of issue 7: what a plan step says about its transaction is what the runner does. A NOT VALID
// constraint and its VALIDATE step must not share a transaction, or the first step's write-blocking lock
// is held through the validating scan. Proven from pg_locks, not from timing:
//
//   session A holds ROW EXCLUSIVE on t (an open writer), so the runner's first step queues behind it;
//   session B asks for SHARE UPDATE EXCLUSIVE on t and queues behind the runner's request;
//   A commits. The runner's first step runs. If the runner commits before VALIDATE, B gets its lock
//   while the constraint is still NOT VALID, and the runner waits for VALIDATE's own lock, holding
//   no lock on t. Had the runner kept one transaction, B would get its lock only after the runner
//   committed everything, with the constraint already validated.
const project = useProject()

const t = nameOf('t')
const cases: readonly { readonly name: string; readonly change: Change; readonly constraint: string }[] = [
  {
    name: 'add check',
    change: { kind: 'addCheck', table: t, check: check('t_n_positive', 'n > 0') },
    constraint: 't_n_positive',
  },
  {
    name: 'add foreign key',
    change: { kind: 'addForeignKey', table: t, foreignKey: fk('t_parent_fkey', ['parent'], 'p', ['id']) },
    constraint: 't_parent_fkey',
  },
  {
    name: 'set NOT NULL',
    change: {
      kind: 'alterColumn',
      table: t,
      from: col('n', 'int4'),
      to: col('n', 'int4', { nullable: false }),
      aspects: ['nullable'],
    },
    constraint: 't_n_keel_nn',
  },
]

describe('the runner keeps a generated safe plan safe (PostgreSQL, pg_locks)', () => {
  it.each(cases)('commits between the NOT VALID step and VALIDATE: $name', async ({ change, constraint }) => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(
        'create table p (id int primary key); insert into p select g from generate_series(1, 100) g;' +
          'create table t (id int primary key, n int, parent int); insert into t select g, g, g from generate_series(1, 100) g',
      )
      const [rendered] = renderMigrations(planPostgres([change], safePolicy), { unsafe: false })
      project.add('20260101000000_safe', { 'up.sql': rendered?.files['up.sql'] ?? '' })
      const writer = await openDatabase(url)
      const reader = await openDatabase(url)
      try {
        await writer.exec('begin; lock table t in row exclusive mode')
        const running = migrate({ url, migrationsDir: project.migrations, lockTimeout: '60s' })
        running.catch(() => {})
        const runnerPid = await waitFor(conn, 'a runner waiting for t', async () => {
          const [row] = await conn.query<{ pid: number }>(
            "select pid from pg_locks where relation = 't'::regclass and not granted and pid <> pg_backend_pid()",
          )
          return row?.pid
        })
        // B queues behind the runner's request (its mode conflicts with the runner's, not with A's).
        const lockTaken = reader.exec('begin; lock table t in share update exclusive mode')
        await waitFor(conn, 'session B queued', async () => {
          const rows = await conn.query('select 1 from pg_locks where relation = $1::regclass and not granted', ['t'])
          return rows.length >= 2 ? true : undefined
        })
        await writer.exec('commit')
        await lockTaken
        // B holds its lock: the runner's first step has committed, and VALIDATE waits for its own lock.
        const [state] = await conn.query<{ validated: boolean }>(
          'select convalidated as validated from pg_constraint where conname = $1',
          [constraint],
        )
        expect(state).toEqual({ validated: false })
        await waitFor(conn, 'the runner waiting for SHARE UPDATE EXCLUSIVE', async () => {
          const rows = await conn.query(
            "select 1 from pg_locks where pid = $1 and relation = 't'::regclass and mode = 'ShareUpdateExclusiveLock' and not granted",
            [runnerPid],
          )
          return rows.length > 0 ? true : undefined
        })
        const held = await conn.query<{ mode: string }>(
          "select mode from pg_locks where pid = $1 and relation in ('t'::regclass, 'p'::regclass) and granted",
          [runnerPid],
        )
        expect(held).toEqual([])
        await reader.exec('commit')
        const result = await running
        expect(result.applied).toHaveLength(1)
        const after = await conn.query('select 1 from pg_constraint where conname = $1 and convalidated', [constraint])
        expect(after.length).toBe(constraint.endsWith('_keel_nn') ? 0 : 1)
      } finally {
        await writer.close()
        await reader.close()
      }
    })
  })
})

/** Polls `probe` until it returns a value; fails naming `what` after 30 s. */
async function waitFor<T>(conn: Connection, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe()
    if (value !== undefined) return value
    await conn.query('select pg_sleep(0.05)')
  }
  throw new Error(`timed out waiting for ${what}`)
}
