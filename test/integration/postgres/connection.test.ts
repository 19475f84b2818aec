import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'

describe.each(DIALECTS)('connection on %s', (dialect) => {
  it('runs queries and scripts, commits and rolls back', async () => {
    await withDatabase(dialect, async ({ conn }) => {
      await conn.exec('create table t (a int); insert into t values (1)')
      await expect(
        conn.transaction(async (tx) => {
          await tx.exec('insert into t values (2)')
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      await conn.transaction(async (tx) => tx.exec('insert into t values (3)'))
      const rows = await conn.query<{ a: number }>('select a from t order by a')
      expect(rows.map((r) => r.a)).toEqual([1, 3])
    })
  })
})

describe('connection errors', () => {
  it('classifies a refused connection', async () => {
    await expect(openDatabase('postgres://postgres@127.0.0.1:1/test')).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
    })
  })
  it('classifies a missing database and keeps the password out of the message', async () => {
    const error = await openDatabase('postgres://postgres:s3cret@127.0.0.1:5432/keel_no_such_db').catch((e) => e)
    expect(error.code).toBe('DATABASE_NOT_FOUND')
    expect(error.message).not.toContain('s3cret')
  })
})
