import { describe, expect, it } from 'vitest'
import { escapeControl } from './terminal-text.js'

describe('escapeControl', () => {
  it('shows control characters instead of letting the terminal act on them', () => {
    expect(escapeControl('t\x1b]0;pwned\x07\r\x1b[2J\u202e')).toBe('t\\x1B]0;pwned\\x07\\x0D\\x1B[2J\\u{202e}')
  })
  it('keeps tabs, newlines, colours and ordinary text', () => {
    expect(escapeControl('a\tb\n\x1b[31mred\x1b[39m é 密')).toBe('a\tb\n\x1b[31mred\x1b[39m é 密')
  })
  it('keeps ESC only where an SGR sequence starts within the 16 characters after it', () => {
    expect(escapeControl(`\x1b[${'1'.repeat(14)}m`)).toBe(`\x1b[${'1'.repeat(14)}m`)
    expect(escapeControl(`\x1b[${'1'.repeat(15)}m`)).toBe(`\\x1B[${'1'.repeat(15)}m`)
    expect(escapeControl('\x1b')).toBe('\\x1B')
    expect(escapeControl('\x1b[1;2')).toBe('\\x1B[1;2')
  })
  it('escapes the edges of each range and leaves their neighbours', () => {
    expect(escapeControl('\x00\x08\x0b\x1a\x1c\x1f\x7f\x9f\u202a\u202e\u2066\u2069')).toBe(
      '\\x00\\x08\\x0B\\x1A\\x1C\\x1F\\x7F\\x9F\\u{202a}\\u{202e}\\u{2066}\\u{2069}',
    )
    expect(escapeControl(' ~\xa0\u2029\u202f\u2065\u206a')).toBe(' ~\xa0\u2029\u202f\u2065\u206a')
  })
})
