import { describe, expect, it } from 'vitest'
import { escapeControl } from './terminal-text.js'

describe('escapeControl', () => {
  it('shows control characters instead of letting the terminal act on them', () => {
    expect(escapeControl('t\x1b]0;pwned\x07\r\x1b[2J\u202e')).toBe('t\\x1B]0;pwned\\x07\\x0D\\x1B[2J\\u{202e}')
  })
  it('keeps tabs, newlines, colours and ordinary text', () => {
    expect(escapeControl('a\tb\n\x1b[31mred\x1b[39m é 密')).toBe('a\tb\n\x1b[31mred\x1b[39m é 密')
  })
})
