import { describe, expect, it } from 'vitest'
import { wantsColor } from './output.js'

describe('wantsColor', () => {
  it('colours a terminal only', () => {
    expect(wantsColor({}, true)).toBe(true)
    expect(wantsColor({}, false)).toBe(false)
    expect(wantsColor({ TERM: 'dumb' }, true)).toBe(false)
  })

  it('does not colour piped output because a CI variable is set', () => {
    expect(wantsColor({ CI: 'true' }, false)).toBe(false)
  })

  it('obeys NO_COLOR over FORCE_COLOR, and FORCE_COLOR over a pipe', () => {
    expect(wantsColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false)
    expect(wantsColor({ FORCE_COLOR: '1' }, false)).toBe(true)
    expect(wantsColor({ FORCE_COLOR: '0' }, true)).toBe(true)
    expect(wantsColor({ FORCE_COLOR: '0' }, false)).toBe(false)
  })
})
