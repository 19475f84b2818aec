import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { openDatabase } from '../../src/db/open.js'
import { reuseDatabasesInFile, withReusedDatabase } from './ci-files-reused-databases.js'

reuseDatabasesInFile()

// One case each, two calls in it: which database the second call gets depends on the first alone, not on other cases.
describe('databases handed on between cases (postgres)', () => {
  it('hands on a database its case emptied and closed every session of', async () => {
    let first = ''
    await withReusedDatabase('postgres', async (db) => {
      first = db.url
      await db.conn.exec('create table t (id int)')
    })
    await withReusedDatabase('postgres', async (db) => {
      expect(db.url).toBe(first)
      expect(await db.conn.query(`select 1 from pg_class where relname = 't'`)).toEqual([])
    })
  })

  it('hands on no database another session of its case is still in, holding a lock', async () => {
    let first = ''
    let left: Connection | undefined
    await withReusedDatabase('postgres', async (db) => {
      first = db.url
      // Keel's runner lock is an advisory lock of the database: a next case's migrate would find it taken.
      left = await openDatabase(db.url, 'left-open')
      await left.query('select pg_advisory_lock(4242)')
    })
    try {
      await withReusedDatabase('postgres', async (db) => {
        expect(db.url).not.toBe(first)
        expect(await db.conn.query(`select 1 from pg_locks where locktype = 'advisory'`)).toEqual([])
      })
    } finally {
      await left?.close().catch(() => undefined)
    }
  })
})
