import { afterAll, beforeAll, beforeEach } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { dropEverything } from '../../src/migrate/reset.js'
import { dropAfterFile, POSTGRES_URL, type TestDatabase, type TestDialect } from './databases.js'

/** Scratch databases shared by the tests of one describe block, each empty when a test starts. */
export interface EmptiedDatabases {
  /** The `index`-th database (from 0). */
  at(index: number): TestDatabase
  /** Runs `fn` with the `index`-th database: in these tests, what `withDatabase(dialect, fn)` is elsewhere. */
  use<T>(index: number, fn: (db: TestDatabase) => Promise<T>): Promise<T>
}

/**
 * `count` scratch databases shared by the tests of the enclosing describe block, each emptied before every test
 * (`dropEverything`, the wipe `keel reset` does, then RESET ALL for what a test set in the session): for tests
 * that each need an empty database but not a new one. A new database is a CREATE DATABASE on the server, and on
 * PGlite a boot of about a second of CPU (several at load); wiping a test's few objects costs a fraction of that.
 * Roles are the server's, not a database's: a test that creates them must not count on their absence.
 * Call in a describe callback.
 */
export function emptiedBeforeEach(dialect: TestDialect, count: number): EmptiedDatabases {
  let databases: ScratchDatabase[] = []
  beforeAll(async () => {
    for (let i = 0; i < count; i++)
      databases.push(await createScratchDatabase(dialect === 'postgres' ? POSTGRES_URL : undefined, 'keel_test'))
  })
  beforeEach(async () => {
    for (const db of databases) {
      await db.conn.exec('RESET ALL')
      await dropEverything(db.conn)
    }
  })
  afterAll(async () => {
    const all = databases
    databases = []
    for (const db of all) {
      if (dialect === 'postgres') dropAfterFile(db)
      else await db.dispose()
    }
  })
  const at = (index: number): TestDatabase => {
    const db = databases[index]
    if (db === undefined) throw new Error(`no shared database ${index} (${databases.length} made by beforeAll)`)
    return { dialect, url: db.url, conn: db.conn }
  }
  return { at, use: (index, fn) => fn(at(index)) }
}
