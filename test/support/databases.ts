import type { Connection } from '../../src/db/connection.js'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'

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
    if (dialect === 'postgres') dropAfterFile(scratch)
    else await scratch.dispose()
  }
}

const drops = new Set<Promise<void>>()
const failedDrops: unknown[] = []

/**
 * Drops a database of the system server when its test file ends (dropPendingDatabases, an afterAll of every
 * integration file: test/support/drop-pending-databases.ts) instead of before the next test starts. PostgreSQL 15's
 * DROP DATABASE waits for a checkpoint it requests, every dirty buffer of the server written and synced: 2.5 s per
 * drop here with other tests writing (three in a row 7.4 s, at load 10), while drops waiting together share
 * checkpoints (three at once 1.3 s). Ten files of withDatabase tests (load 11-14): 46 drops, 70.5 s waited in tests;
 * deferred, 9.2 s waited at the files' ends. Only for the system server, which outlives the file: a server a file
 * starts (the version matrix) is stopped in its own afterAll, before these drops would run.
 */
export function dropAfterFile(scratch: ScratchDatabase): void {
  const drop = scratch.dispose().catch((error: unknown) => {
    failedDrops.push(error)
  })
  drops.add(drop)
  void drop.finally(() => drops.delete(drop))
}

/** Waits for the drops dropAfterFile started; fails if any failed. */
export async function dropPendingDatabases(): Promise<void> {
  while (drops.size > 0) await Promise.all(drops)
  const failed = failedDrops.splice(0)
  if (failed.length > 0) throw new AggregateError(failed, `${failed.length} scratch database(s) could not be dropped`)
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
