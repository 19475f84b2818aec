import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { Journal } from '../../../src/migrate/journal.js'
import { withDatabase } from '../../support/databases.js'
import { createProject, runKeel, type TestProject } from './project.js'
import { assertBuilt, spawnKeel, waitForRunnerQuery } from './spawn.js'

// A runner killed while a statement runs must never cause that statement to run twice: the killed
// runner's server session goes on and may commit, so whatever it commits must carry its journal progress.

let project: TestProject
beforeAll(() => assertBuilt())
beforeEach(() => {
  project = createProject()
})
afterEach(() => project.dispose())

const args = (url: string, ...rest: string[]) => [...rest, '--config', project.config, '--url', url]
const journal = (conn: Connection) => new Journal(conn, 'public').list()

describe('a killed runner on postgres', () => {
  it('SIGKILL during a statement of a no-transaction migration: the statement takes effect exactly once', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_counter', { 'up.sql': 'create table counter (n int);\n' })
      project.add('20260102000000_fill', {
        'up.sql': '-- keel:no-transaction\ninsert into counter select 1 from pg_sleep(2);\n',
      })
      const run = spawnKeel(project.root, args(url, 'migrate'))
      await waitForRunnerQuery(conn, '%pg_sleep%')
      await new Promise((r) => setTimeout(r, 500))
      run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')

      const again = await runKeel(project, url, 'migrate', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(await conn.query('select count(*)::int as n from counter')).toEqual([{ n: 1 }])
      expect((await journal(conn)).map((r) => [r.version, r.status, r.completedStatements])).toEqual([
        ['20260101000000', 'applied', 1],
        ['20260102000000', 'applied', 1],
      ])
    })
  })
})
