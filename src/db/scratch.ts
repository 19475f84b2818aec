import { randomBytes } from 'node:crypto'
import type { Connection } from './connection.js'
import { openDatabase } from './open.js'
import { parseDatabaseUrl, withDatabaseName } from './url.js'

/** A throw-away database: loaded, introspected, then dropped. */
export interface ScratchDatabase {
  readonly url: string
  readonly conn: Connection
  /** Closes the connection and drops the database. Safe to call twice. */
  dispose(): Promise<void>
}

/**
 * Creates a scratch database. Beside a PostgreSQL server (`near` is its URL) it is a temporary
 * database on the same server, so that both sides of a comparison are normalised by the same
 * PostgreSQL version; otherwise it is an in-memory PGlite.
 */
export async function createScratchDatabase(near?: string, prefix = 'keel_scratch'): Promise<ScratchDatabase> {
  if (near === undefined || parseDatabaseUrl(near).kind === 'pglite') {
    const conn = await openDatabase('pglite:memory')
    return { url: 'pglite:memory', conn, dispose: () => conn.close() }
  }
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = await openDatabase(near, 'keel-scratch')
  try {
    await admin.exec(`CREATE DATABASE ${name}`)
  } finally {
    await admin.close()
  }
  const url = withDatabaseName(near, name)
  const conn = await openDatabase(url, 'keel-scratch')
  let disposed = false
  return {
    url,
    conn,
    async dispose() {
      if (disposed) return
      disposed = true
      await conn.close()
      await dropDatabase(near, name)
    },
  }
}

/** Drops a database on the server of `near`, disconnecting any session still in it (PostgreSQL 13+). */
export async function dropDatabase(near: string, name: string): Promise<void> {
  const admin = await openDatabase(near, 'keel-scratch')
  try {
    await admin.exec(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`)
  } finally {
    await admin.close()
  }
}
