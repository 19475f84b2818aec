import { describe, expect, it } from 'vitest'
import { dollarQuote, quoteColumnRef, quoteIdent, quoteLiteral, quoteQualified } from './quote.js'

describe('quoteIdent', () => {
  it.each([
    ['users', 'users'],
    ['user_id', 'user_id'],
    ['_private', '_private'],
    ['col$1', 'col$1'],
    // unreserved keywords are fine bare
    ['name', 'name'],
    ['key', 'key'],
    ['data', 'data'],
    ['action', 'action'],
  ])('leaves the plain name %s bare', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted)
  })

  it.each([
    // reserved
    ['order', '"order"'],
    ['select', '"select"'],
    ['user', '"user"'],
    ['default', '"default"'],
    // reserved as a type or function name
    ['left', '"left"'],
    ['collation', '"collation"'],
    // reserved as a column name
    ['int', '"int"'],
    ['time', '"time"'],
    ['json', '"json"'],
    ['values', '"values"'],
  ])('quotes the keyword %s', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted)
  })

  it.each([
    ['createdAt', '"createdAt"'],
    ['Users', '"Users"'],
    ['my table', '"my table"'],
    ['1st', '"1st"'],
    ['a-b', '"a-b"'],
    ['uuid-ossp', '"uuid-ossp"'],
    ['', '""'],
    ['été', '"été"'],
  ])('quotes %s, which is not a plain lower-case name', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted)
  })

  it('doubles quotes inside names', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"')
    expect(quoteIdent('"')).toBe('""""')
    expect(quoteIdent('say "hi"')).toBe('"say ""hi"""')
  })
})

describe('quoteLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['', "''"],
    ['C:\\dir', "E'C:\\\\dir'"],
    ["a\\'b", "E'a\\\\''b'"],
    ['line\nbreak', "'line\nbreak'"],
  ])('quotes %j as %s', (value, quoted) => {
    expect(quoteLiteral(value)).toBe(quoted)
  })
})

describe('quoteQualified', () => {
  it('quotes each part on its own', () => {
    expect(quoteQualified({ schema: 'public', name: 'users' })).toBe('public.users')
    expect(quoteQualified({ schema: 'Sales', name: 'order' })).toBe('"Sales"."order"')
    expect(quoteQualified({ schema: 'a.b', name: 'c' })).toBe('"a.b".c')
  })

  it('leaves an unqualified name to the search path', () => {
    expect(quoteQualified({ name: 'users' })).toBe('users')
  })

  it('names a column of a table', () => {
    expect(quoteColumnRef({ schema: 'public', name: 'users' }, 'Email')).toBe('public.users."Email"')
  })
})

describe('dollarQuote', () => {
  it('quotes a body under $keel$ when it does not hold the tag', () => {
    expect(dollarQuote('BEGIN NULL; END')).toBe('$keel$BEGIN NULL; END$keel$')
  })

  it.each([
    ["RAISE '$keel$'", "$keel1$RAISE '$keel$'$keel1$"],
    ["'$keel$' '$keel1$' '$keel2$'", "$keel3$'$keel$' '$keel1$' '$keel2$'$keel3$"],
  ])('picks a tag that %j does not hold', (body, quoted) => {
    expect(dollarQuote(body)).toBe(quoted)
  })

  it.each([
    ['x $keel', '$keel1$x $keel$keel1$'],
    ['x $keel1', '$keel$x $keel1$keel$'],
  ])('picks a tag that %j does not close by its last characters', (body, quoted) => {
    expect(dollarQuote(body)).toBe(quoted)
    // The first tag after the opening one is the closing one: the body is read whole.
    const tag = quoted.slice(0, quoted.indexOf('$', 1) + 1)
    expect(quoted.indexOf(tag, tag.length)).toBe(quoted.length - tag.length)
  })
})
