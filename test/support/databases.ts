import type { Connection } from '../../src/db/connection.js'
import { createScratchDatabase } from '../../src/db/scratch.js'

/** The server every integration test talks to; CI starts it, and a missing server fails the run. */
export const POSTGRES_URL = process.env.KEEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export type TestDialect = 'postgres' | 'pglite'

/** Dialects under test: all by default, narrowed with DIALECTS=postgres,pglite. */
export const DIALECTS: readonly TestDialect[] = (process.env.DIALECTS ?? 'postgres,pglite')
  .split(',')
  .map((d) => d.trim())
  .filter((d): d is TestDialect => d === 'postgres' || d === 'pglite')

/** A fresh, uniquely named database (or an in-memory PGlite) for one test; dropped afterwards. */
export interface TestDatabase {
  readonly dialect: TestDialect
  readonly url: string
  readonly conn: Connection
}

export async function withDatabase<T>(dialect: TestDialect, fn: (db: TestDatabase) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(dialect === 'postgres' ? POSTGRES_URL : undefined, 'keel_test')
  try {
    return await fn({ dialect, url: scratch.url, conn: scratch.conn })
  } finally {
    await scratch.dispose()
  }
}

/** The MySQL-protocol server of the integration tests (MariaDB 10.11 in CI). */
export const MYSQL_URL = process.env.KEEL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** A fresh, uniquely named database on the MySQL server for one test; dropped afterwards. */
export async function withMysqlDatabase<T>(fn: (db: { url: string; conn: Connection }) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(MYSQL_URL, 'keel_test')
  try {
    return await fn({ url: scratch.url, conn: scratch.conn })
  } finally {
    await scratch.dispose()
  }
}
