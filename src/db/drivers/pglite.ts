import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import type { Connection } from '../connection.js'
import { discardCachedDataDir, freshDataDir } from './pglite-template.js'

/**
 * Opens an embedded PGlite database (PostgreSQL 18 in WebAssembly): in memory, or persisted in `dir`.
 * PGlite is single-user: one Connection per directory at a time.
 */
export async function connectPglite(dir: string | 'memory'): Promise<Connection> {
  if (dir === 'memory') return adaptPglite(await openFreshInMemory(), 'pglite:memory')
  mkdirSync(dir, { recursive: true })
  const db = new PGlite(dir)
  await db.waitReady
  return adaptPglite(db, `pglite:${dir}`)
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

function adaptPglite(db: PGlite, description: string): Connection {
  let depth = 0
  const conn: Connection = {
    dialect: 'pglite',
    description,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(sql, [...params])
      return result.rows
    },
    async exec(sql: string) {
      await db.exec(sql)
    },
    async transaction<T>(fn: (tx: Connection) => Promise<T>): Promise<T> {
      // Plain BEGIN/COMMIT on the single session rather than db.transaction(), so that nesting and
      // non-transactional statements behave exactly as on a server connection.
      const savepoint = `keel_sp_${depth}`
      await db.exec(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`)
      depth++
      let result: T
      try {
        result = await fn(conn)
      } catch (error) {
        depth--
        await db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {})
        throw error
      }
      // The level is left before COMMIT: a failed COMMIT ends the transaction too (PostgreSQL rolls it back).
      depth--
      await db.exec(depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`)
      return result
    },
    async close() {
      if (!db.closed) await db.close()
    },
  }
  return conn
}
