import { describe, expect, it } from 'vitest'
import { connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_SECONDS } from './connect-timeout.js'

const URL = 'postgres://app@db/shop'

describe('connectTimeoutMs', () => {
  it('defaults to a few seconds', () => {
    expect(connectTimeoutMs(URL, {})).toBe(DEFAULT_CONNECT_TIMEOUT_SECONDS * 1000)
  })
  it('reads connect_timeout from the URL before PGCONNECT_TIMEOUT, in seconds, as libpq does', () => {
    expect(connectTimeoutMs(`${URL}?connect_timeout=7`, { PGCONNECT_TIMEOUT: '30' })).toBe(7000)
    expect(connectTimeoutMs(URL, { PGCONNECT_TIMEOUT: '30' })).toBe(30_000)
    expect(connectTimeoutMs(`${URL}?sslmode=disable&connect_timeout=1`, {})).toBe(2000)
    expect(connectTimeoutMs(`${URL}?connect_timeout=0`, {})).toBe(0)
    expect(connectTimeoutMs(URL, { PGCONNECT_TIMEOUT: '-1' })).toBe(0)
  })
  it('refuses a value that is not a number', () => {
    expect(() => connectTimeoutMs(`${URL}?connect_timeout=5s`, {})).toThrow(/connect_timeout in the URL/)
    expect(() => connectTimeoutMs(URL, { PGCONNECT_TIMEOUT: 'soon' })).toThrow(/PGCONNECT_TIMEOUT/)
  })
})
