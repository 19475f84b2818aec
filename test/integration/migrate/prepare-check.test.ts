import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { migrate } from '../../../src/migrate/runner.js'
import { disposeTargets, useProject, withTarget } from './project.js'

// MigrateOptions.prepareCheck gets the run's connection, so that what the check reads there (keel migrate's live
// facts for the lint) is asked for while the runner parses the files, rather than after.
const project = useProject()
afterAll(() => disposeTargets())

const pid = async (conn: Connection) =>
  Number((await conn.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]?.pid)

describe('the check prepared beside the parse on postgres', () => {
  it('gets the run’s own connection, the one the check then judges on', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      project.add('20260102000000_b', { 'up.sql': 'create table b (id int);\n' })
      let prepared: Promise<number> | undefined
      let checked: number | undefined
      await migrate({
        ...db.options,
        migrationsDir: project.migrations,
        prepareCheck: (conn) => {
          prepared = pid(conn)
          return prepared
        },
        check: async (toRun, conn) => {
          expect(toRun.map((m) => m.migration.id)).toEqual(['20260101000000_a', '20260102000000_b'])
          checked = await pid(conn)
        },
      })
      expect(checked).toBeGreaterThan(0)
      expect(await prepared).toBe(checked)
    })
  })
})
