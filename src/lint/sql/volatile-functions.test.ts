import { describe, expect, it } from 'vitest'
import { callsVolatileFunction } from './volatile-functions.js'

describe('callsVolatileFunction', () => {
  it('finds a volatile call in default SQL as the server prints it, and nothing else', () => {
    expect(callsVolatileFunction(`nextval('users_id_seq'::regclass)`)).toBe(true)
    expect(callsVolatileFunction('uuidv7()')).toBe(true)
    expect(callsVolatileFunction('GEN_RANDOM_UUID ()')).toBe(true)
    expect(callsVolatileFunction('now()')).toBe(false)
    expect(callsVolatileFunction(`'random'::text`)).toBe(false)
    expect(callsVolatileFunction('my_random()')).toBe(false)
  })
})
