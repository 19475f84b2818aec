import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { measureRounds } from './measure.mjs'
import { KEEL_BIN, ROOT_DIR } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress } from './stats.mjs'

/** jOOQ's Sakila port for SQLite: 16 tables, 26 indexes, 5 views, 30 triggers. */
const SAKILA = join(ROOT_DIR, 'test', 'fixtures', 'sakila', 'jooq', 'sqlite-sakila-schema.sql')

/**
 * SQLite against its floor, the `sqlite3` CLI: applying Sakila's schema to an empty file (`keel push`,
 * which reads the SQL on an in-memory scratch database, diffs and plans, against `sqlite3 FILE .read`),
 * and reading it back (`keel inspect` against `sqlite3 FILE .schema`). Both sides are whole processes.
 */
export async function benchSqlite({ runs, tmp }) {
  progress(`SQLite: Sakila, ${runs} runs each`)
  const file = (name, run) => join(tmp, `${name}-${run}.sqlite`)
  const fresh = (path) => rmSync(path, { force: true })
  const loaded = join(tmp, 'sakila-loaded.sqlite')
  fresh(loaded)
  await timedCommand('sqlite3', [loaded, `.read ${SAKILA}`])
  return measureRounds(
    [
      {
        id: 'sqlite.apply.keel',
        label: 'Keel: keel push of Sakila (SQLite) to an empty file',
        role: 'keel',
        fn: async (run) => {
          const path = file('keel', run)
          fresh(path)
          return (await timedCommand('node', [KEEL_BIN, 'push', '--url', `sqlite:${path}`, '--schema', SAKILA])).ms
        },
      },
      {
        id: 'sqlite.apply.sqlite3',
        label: 'floor: sqlite3 FILE .read sakila.sql',
        role: 'floor',
        fn: async (run) => {
          const path = file('cli', run)
          fresh(path)
          return (await timedCommand('sqlite3', [path, `.read ${SAKILA}`])).ms
        },
      },
      {
        id: 'sqlite.introspect.keel',
        label: 'Keel: keel inspect of Sakila (SQLite)',
        role: 'keel',
        fn: async () => (await timedCommand('node', [KEEL_BIN, 'inspect', '--url', `sqlite:${loaded}`])).ms,
      },
      {
        id: 'sqlite.introspect.sqlite3',
        label: 'floor: sqlite3 FILE .schema',
        role: 'floor',
        fn: async () => (await timedCommand('sqlite3', [loaded, '.schema'])).ms,
      },
    ],
    runs,
  )
}
