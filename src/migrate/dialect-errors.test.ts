import { beforeAll, describe, expect, it } from 'vitest'
import { loadRuntimes } from '../dialect/runtimes.js'
import { isRefusedInTransaction, isRetryable } from './prepare-statements.js'

// Asked by name, without a connection (whose driver would have loaded its dialect).
beforeAll(async () => {
  await loadRuntimes()
})

/** Errors as db/drivers shape them: pg's SQLSTATE in `code`; MySQL's SQLSTATE in `code`, its number in `errno`. */
const postgresRefused = {
  code: '25001',
  severity: 'ERROR',
  message: 'REINDEX TABLE cannot run inside a transaction block',
}
// ER_CANT_CHANGE_TX_CHARACTERISTICS: the same SQLSTATE, a different meaning (nothing to run alone).
const mysqlTxCharacteristics = {
  code: '25001',
  severity: 'ERROR',
  errno: 1568,
  message: "Transaction characteristics can't be changed while a transaction is in progress",
}
const postgresLockTimeout = { code: '55P03', severity: 'ERROR', message: 'canceling statement due to lock timeout' }
const mysqlLockWait = { code: 'HY000', severity: 'ERROR', errno: 1205, message: 'Lock wait timeout exceeded' }

describe("the runner's questions about an error go to the dialect of the connection that raised it", () => {
  it('a SQLSTATE PostgreSQL refuses in a transaction block means that on PostgreSQL only', () => {
    expect(isRefusedInTransaction('postgres', postgresRefused)).toBe(true)
    expect(isRefusedInTransaction('pglite', postgresRefused)).toBe(true)
    expect(isRefusedInTransaction('mysql', mysqlTxCharacteristics)).toBe(false)
    expect(isRefusedInTransaction('sqlite', postgresRefused)).toBe(false)
  })

  it("each dialect retries its own lock timeouts, and not another's", () => {
    expect(isRetryable('postgres', postgresLockTimeout)).toBe(true)
    expect(isRetryable('mysql', mysqlLockWait)).toBe(true)
    expect(isRetryable('mysql', postgresLockTimeout)).toBe(false)
    expect(isRetryable('postgres', mysqlLockWait)).toBe(false)
    expect(isRetryable('sqlite', { code: 'SQLITE_BUSY', message: 'database is locked' })).toBe(true)
  })
})
