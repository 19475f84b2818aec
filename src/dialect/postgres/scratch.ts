import { randomBytes } from 'node:crypto'
import { openDatabase } from '../../db/open.js'
import { withDatabaseName } from '../../db/url.js'
import type { ScratchDatabase } from '../dialect.js'
import { quoteIdent } from './quote.js'

/** An in-memory PGlite: the scratch database beside PGlite, and when there is no server to go beside. */
export async function createPgliteScratch(): Promise<ScratchDatabase> {
  const conn = await openDatabase('pglite:memory')
  return { url: 'pglite:memory', conn, dispose: () => conn.close() }
}

/**
 * A temporary database on the PostgreSQL server of `near`, so that both sides of a comparison are
 * normalised by the same PostgreSQL version; dropped by `dispose`.
 */
export async function createServerScratch(near: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = await openDatabase(near, 'keel-scratch')
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`)
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
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
  } finally {
    await admin.close()
  }
}
