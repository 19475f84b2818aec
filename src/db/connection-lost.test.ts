import { describe, expect, it } from 'vitest'
import { isConnectionLost } from './connection-lost.js'
import { isPgConnectionLost } from './drivers/pg-lost.js'

describe('isConnectionLost', () => {
  it('takes a socket code for a lost connection, EPIPE too (five characters, as a SQLSTATE has)', () => {
    expect(isConnectionLost({ code: 'ECONNRESET' })).toBe(true)
    expect(isConnectionLost({ code: 'EPIPE', message: 'write EPIPE' })).toBe(true)
  })

  it('takes a SQLSTATE for a server error, whatever its message says', () => {
    expect(isConnectionLost({ code: '57P01', message: 'Connection terminated' }, /^Connection terminated/)).toBe(false)
  })

  it("reads a driver's words only when that driver passes them", () => {
    const dropped = new Error('Connection terminated unexpectedly')
    expect(isConnectionLost(dropped)).toBe(false)
    expect(isPgConnectionLost(dropped)).toBe(true)
    expect(isPgConnectionLost(new Error('relation "users" does not exist'))).toBe(false)
  })
})
