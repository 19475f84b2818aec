import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import type { Connection } from '../connection.js'
import { nestedTransactions } from './nested-transaction.js'
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
  const conn: Connection = {
    dialect: 'pglite',
    exclusive: true,
    description,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(sql, [...params])
      return result.rows
    },
    async exec(sql: string) {
      await db.exec(sql)
    },
    transaction: nestedTransactions(
      (sql) => db.exec(sql),
      () => conn,
    ),
    async close() {
      if (!db.closed) await db.close()
    },
  }
  return conn
}
