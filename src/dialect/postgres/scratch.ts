import { randomBytes } from 'node:crypto'
import { openDatabase } from '../../db/open.js'
import { redactUrl, withDatabaseName } from '../../db/url.js'
import { KeelError } from '../../errors.js'
import type { ScratchDatabase } from '../dialect.js'
import { quoteIdent } from './quote.js'

/**
 * A temporary database on the PostgreSQL server of `near`, so that both sides of a comparison are
 * normalised by the same PostgreSQL version; dropped by `dispose`.
 */
export async function createServerScratch(near: string, prefix: string): Promise<ScratchDatabase> {
  try {
    return await createScratchOnServer(near, prefix)
  } catch (error) {
    if (!isPermissionDenied(error)) throw error
    // A role without CREATEDB (usual for application roles): name the setting that avoids it, not a bare 42501.
    throw new KeelError(
      'SCRATCH_DATABASE',
      `cannot create a temporary database on ${redactUrl(near)} to compare schemas there: ${redactUrl((error as Error).message)} (the role lacks CREATEDB)`,
      undefined,
      { cause: error },
    )
  }
}

/** SQLSTATE 42501 insufficient_privilege, from the driver or carried by a KeelError's cause. */
function isPermissionDenied(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '42501') return true
  }
  return false
}

async function createScratchOnServer(near: string, prefix: string): Promise<ScratchDatabase> {
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
