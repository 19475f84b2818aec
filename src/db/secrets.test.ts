import { describe, expect, it } from 'vitest'
import { passwordsIn, redactSecrets, rememberSecretsOf } from './secrets.js'

describe('secrets', () => {
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
})
