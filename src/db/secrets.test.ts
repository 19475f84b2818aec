import { beforeEach, describe, expect, it } from 'vitest'
import { forgetSecrets, passwordsIn, redactSecrets, rememberSecretsIn, rememberSecretsOf } from './secrets.js'

describe('secrets', () => {
  // The unit and integration tests share workers (vitest.config.ts: isolate false), so the registry outlives a file:
  // each test here, and each test file (test/support/forget-secrets.ts), starts with none remembered.
  beforeEach(forgetSecrets)

  it('finds the password however it is written', () => {
    expect(passwordsIn('postgres://app:pa ss@db/x')).toEqual(['pa ss'])
    expect(passwordsIn('postgres://app:p@ss#/?@db/x')).toEqual(['p', 'p@ss#/?'])
    expect(passwordsIn('postgres://db/x?user=a&password=s%20t')).toEqual(['s%20t'])
    expect(passwordsIn('postgres://app@db/x')).toEqual([])
  })

  it('scrubs every spelling: as typed, decoded, re-encoded by a URL parser, JSON-escaped', () => {
    rememberSecretsOf('postgres://app:wx "yz\\é@db/x')
    for (const spelling of ['wx "yz\\é', 'wx%20%22yz%5C%C3%A9', 'wx \\"yz\\\\é']) {
      expect(redactSecrets(`at ${spelling} end`)).toBe('at *** end')
    }
  })

  // The two tests below pass in either order: neither sees what the other remembered.
  it('redacts a password it was given', () => {
    rememberSecretsOf('postgres://app:order-secret@db/x')
    expect(redactSecrets('password order-secret')).toBe('password ***')
  })

  it('keeps a word that no password of this test is, whatever an earlier test remembered', () => {
    expect(redactSecrets('password order-secret')).toBe('password order-secret')
    expect(redactSecrets('at wx "yz\\é end')).toBe('at wx "yz\\é end')
  })

  it('forgets every password, in every spelling, when asked', () => {
    rememberSecretsOf('postgres://app:pa ss word@db/x')
    expect(redactSecrets('pa%20ss%20word')).toBe('***')
    forgetSecrets()
    expect(redactSecrets('pa ss word, pa%20ss%20word')).toBe('pa ss word, pa%20ss%20word')
  })

  it('reads each URL in a text to the next URL or its line end, so the text between two stays', () => {
    const text = [
      '  0001_a  failed: could not reach postgres://app:first-pw@db1/x',
      '2 migrations: 1 applied, 1 failed.',
      'error[PARTIAL_MIGRATION]: 0001_a failed: could not reach postgres://app:first-pw@db1/x',
      'and postgres://ops:second-pw@db2/y, postgres://ci:third-pw@db3/z',
    ].join('\n')
    rememberSecretsIn(text)
    expect(redactSecrets(text).split('\n')).toEqual([
      '  0001_a  failed: could not reach postgres://app:***@db1/x',
      '2 migrations: 1 applied, 1 failed.',
      'error[PARTIAL_MIGRATION]: 0001_a failed: could not reach postgres://app:***@db1/x',
      'and postgres://ops:***@db2/y, postgres://ci:***@db3/z',
    ])
  })
})
