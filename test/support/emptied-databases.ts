import { afterAll, beforeAll, beforeEach } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { dropEverything } from '../../src/migrate/reset.js'
import { POSTGRES_URL, type TestDatabase, type TestDialect } from './databases.js'

/**
 * `count` scratch databases shared by the tests of the enclosing describe block, each emptied before every test
 * (`dropEverything`, the wipe `keel reset` does): for tests that each need an empty database but not a new one. A
 * new database is a CREATE DATABASE on the server, and on PGlite a boot of about a second of CPU (several at load);
 * wiping a test's few objects costs a fraction of that. Call in a describe callback; the getter is for the tests.
 */
export function emptiedBeforeEach(dialect: TestDialect, count: number): () => readonly TestDatabase[] {
  let databases: ScratchDatabase[] = []
  beforeAll(async () => {
    for (let i = 0; i < count; i++)
      databases.push(await createScratchDatabase(dialect === 'postgres' ? POSTGRES_URL : undefined, 'keel_test'))
  })
  beforeEach(async () => {
    for (const db of databases) await dropEverything(db.conn)
  })
  afterAll(async () => {
    const all = databases
    databases = []
    for (const db of all) await db.dispose()
  })
  return () => databases.map(({ url, conn }) => ({ dialect, url, conn }))
}
