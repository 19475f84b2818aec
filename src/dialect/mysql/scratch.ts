import { randomBytes } from 'node:crypto'
import { openDatabase } from '../../db/open.js'
import { withDatabaseName } from '../../db/url.js'
import type { ScratchDatabase } from '../dialect.js'
import { quoteIdent } from './quote.js'

/**
 * A temporary database on the MySQL or MariaDB server of `near` (same server, same version and defaults:
 * both sides of a comparison are read alike), dropped by `dispose`. `near`'s user needs CREATE and DROP.
 */
export async function createMysqlScratch(near: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`.slice(0, 64)
  const admin = await openDatabase(near, 'keel-scratch')
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)} CHARACTER SET utf8mb4`)
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
      // DROP DATABASE from the scratch's own session: no other session to wait for, and it ends no one else's.
      await conn.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`).finally(() => conn.close())
    },
  }
}
