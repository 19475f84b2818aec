import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Connection } from '../connection.js'
import { nestedTransactions } from './nested-transaction.js'
import { lockPgliteDir, PGLITE_LOCK_FILE, type PgliteLockOptions } from './pglite-dir-lock.js'
import { PgliteExtensions } from './pglite-extensions.js'
import { discardCachedDataDir, freshDataDir } from './pglite-template.js'

/**
 * Opens an embedded PGlite database (PostgreSQL 18 in WebAssembly): in memory, or persisted in `dir`.
 * PGlite is single-user: a directory is held by one process at a time (see pglite-dir-lock.ts).
 */
export async function connectPglite(dir: string | 'memory', lock: PgliteLockOptions): Promise<Connection> {
  // A Connection of this driver speaks PGlite: its dialect's runtime half is loaded before one exists, so that
  // runtimeOf(conn.dialect) answers wherever a connection goes (dialect/runtimes.ts; not a top-level await: see pg.ts).
  await loadRuntime('pglite')
  if (dir === 'memory') {
    const db = await openFreshInMemory()
    return adaptPglite(db, new PgliteExtensions(db), 'pglite:memory')
  }
  ensureDirectory(dir)
  const release = await lockPgliteDir(dir, lock)
  try {
    assertDataDirectory(dir)
    const db = new PGlite(dir)
    await db.waitReady
    const extensions = new PgliteExtensions(db)
    await extensions.loadInstalled()
    return adaptPglite(db, extensions, `pglite:${dir}`, release)
  } catch (error) {
    release()
    throw error
  }
}

function ensureDirectory(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new KeelError('BAD_URL', `pglite:${dir} is a file; pglite:DIR names a directory`)
  try {
    mkdirSync(dir, { recursive: true })
  } catch (error) {
    throw new KeelError(
      'BAD_URL',
      `cannot create the directory of pglite:${dir}: ${(error as Error).message}`,
      undefined,
      {
        cause: error,
      },
    )
  }
}

/**
 * A directory that holds other files and no database is not initialised as one: `pglite:.` or a
 * mistyped path would otherwise fill a project folder with PostgreSQL's files.
 */
function assertDataDirectory(dir: string): void {
  if (existsSync(join(dir, 'PG_VERSION'))) return
  const others = readdirSync(dir).filter((name) => name !== PGLITE_LOCK_FILE)
  if (others.length === 0) return
  throw new KeelError(
    'BAD_URL',
    `pglite:${dir} is neither empty nor an embedded database (it holds ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', ...' : ''})`,
    'Point pglite: at an empty or new directory (the default is .keel/db), or at one Keel created.',
  )
}

/** An empty in-memory database, from the saved template when there is one (see pglite-template.ts). */
async function openFreshInMemory(): Promise<PGlite> {
  try {
    const db = new PGlite({ loadDataDir: await freshDataDir() })
    await db.waitReady
    return db
  } catch {
    discardCachedDataDir()
    const db = new PGlite()
    await db.waitReady
    return db
  }
}

function adaptPglite(db: PGlite, extensions: PgliteExtensions, description: string, release?: () => void): Connection {
  const conn: Connection = {
    dialect: 'pglite',
    exclusive: true,
    description,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      await extensions.beforeRunning(sql)
      const result = await db.query<R>(sql, [...params])
      return result.rows
    },
    async exec(sql: string) {
      await extensions.beforeRunning(sql)
      await db.exec(sql)
    },
    transaction: nestedTransactions(
      (sql) => db.exec(sql),
      () => conn,
    ),
    async close() {
      try {
        if (!db.closed) await db.close()
      } finally {
        release?.()
      }
    },
  }
  return conn
}
