import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { Journal } from '../../../src/migrate/journal.js'
import { withDatabase } from '../../support/databases.js'
import { runKeel, useProject } from './project.js'
import { assertBuilt } from './spawn.js'

// A runner killed while a statement runs must never cause that statement to run twice: the killed
// runner's server session goes on and may commit, so whatever it commits must carry its journal progress.
// (A kill during a no-transaction statement, and kills inside transactions: the shared suite
// test/support/suites/crash.ts, on PostgreSQL and SQLite.)

const project = useProject()
beforeAll(() => assertBuilt())

const journal = (conn: Connection) => new Journal(conn, 'public').list()
const CHILD = join(import.meta.dirname, '../torture/migrate-child.mjs')

describe('a killed runner on postgres', () => {
  it('SIGKILL right after a backfill commits its last batch: the last range is not updated again', async () => {
    // Found by the torture suite: the last range has no upper bound, so its saved progress kept the previous
    // key and the statement's completion came in a later transaction; a runner killed between the two left
    // a resume that ran the last range a second time (hits = 2 on its rows).
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_t', {
        'up.sql':
          'create table t (id int primary key, hits int not null default 0);\ninsert into t (id) select g from generate_series(1, 30) g;\n',
      })
      project.add('20260102000000_fill', {
        'up.sql':
          '-- keel:phase backfill\n-- keel:no-transaction\n-- keel:batch-size 8\nupdate t set hits = hits + 1;\n',
      })
      const child = spawn(process.execPath, [CHILD, url, project.migrations, 'last-batch'], { stdio: 'ignore' })
      const signal = await new Promise((resolve) => child.on('close', (_code, signal) => resolve(signal)))
      expect(signal).toBe('SIGKILL')

      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(await conn.query('select hits, count(*)::int as n from t group by hits')).toEqual([{ hits: 1, n: 30 }])
      expect((await journal(conn)).map((r) => [r.version, r.status])).toEqual([
        ['20260101000000', 'applied'],
        ['20260102000000', 'applied'],
      ])
    })
  })
})
