import { describe, expect, it } from 'vitest'
import { quoteLiteral } from '../dialect/postgres/quote.js'
import { sqlLiteral as literal } from './journal.js'

const sqlLiteral = (value: unknown) => literal(value, quoteLiteral)

describe('SQL literals for the journal', () => {
  it('quote strings, escape backslashes in an E literal, and pass integers and NULL through', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'")
    expect(sqlLiteral('a\\b')).toBe("E'a\\\\b'")
    expect(sqlLiteral("\\'")).toBe("E'\\\\'''")
    expect(sqlLiteral(42)).toBe('42')
    expect(sqlLiteral(null)).toBe('NULL')
    expect(sqlLiteral(undefined)).toBe('NULL')
    expect(() => sqlLiteral(1.5)).toThrow(/not an integer/)
  })
})
