/**
 * SQLite files for a test file: each `withFile` call gets a new file in a temporary directory (removed after the
 * test file's tests), and `schemaOf` reads SQL text back as SQLite's introspection sees it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { openDatabase } from '../../src/db/open.js'
import { getDialect } from '../../src/dialect/registry.js'
import type { Schema } from '../../src/schema/model.js'

export interface SqliteFiles {
  /** The temporary directory (a CLI run's working directory, say). */
  readonly dir: string
  /** Runs `fn` on a new SQLite file, closed after. */
  withFile<T>(fn: (conn: Connection) => Promise<T>): Promise<T>
  /** The schema of SQL text, as SQLite reads it back. */
  schemaOf(sql: string): Promise<Schema>
}

/** Call at the top of a test file: `prefix` names its temporary directory. */
export function sqliteFiles(prefix: string): SqliteFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  let counter = 0
  return {
    dir,
    async withFile(fn) {
      const conn = await openDatabase(`sqlite:${join(dir, `db${counter++}.sqlite`)}`)
      try {
        return await fn(conn)
      } finally {
        await conn.close()
      }
    },
    async schemaOf(sql) {
      const conn = await openDatabase('sqlite::memory:')
      try {
        await conn.exec(sql)
        return await getDialect('sqlite').introspect(conn)
      } finally {
        await conn.close()
      }
    },
  }
}
