import { describe, expect, it } from 'vitest'
import { objectName as makeObjectName } from './object-name.js'

describe('makeObjectName', () => {
  it('joins the names when they fit', () => {
    expect(makeObjectName('users', 'id', 'seq')).toBe('users_id_seq')
  })

  // Expected names read back from PostgreSQL 15 after creating serial columns.
  it('shortens the longer name first, as PostgreSQL does', () => {
    expect(makeObjectName('abcdefghij'.repeat(6), 'colcolcolcolcolcolcol', 'seq')).toBe(
      'abcdefghijabcdefghijabcdefghijabcdefg_colcolcolcolcolcolcol_seq',
    )
    expect(makeObjectName('short_t', 'a_very_long_column_name_that_goes_on_and_on_and_on_forever_yes', 'seq')).toBe(
      'short_t_a_very_long_column_name_that_goes_on_and_on_and_on__seq',
    )
  })

  it('never cuts a multibyte character', () => {
    expect(makeObjectName('é'.repeat(31), 'ç'.repeat(11), 'seq')).toBe(`${'é'.repeat(18)}_${'ç'.repeat(11)}_seq`)
  })
})
