import { describe, expect, it } from 'vitest'
import { quoteIdent as mysqlQuoteIdent } from '../dialect/mysql/quote.js'
import { quoteIdent } from '../dialect/postgres/quote.js'
import { mayReadColumns, mentionsIdentifier, renameIdentifier } from './rename-identifier.js'

describe('renameIdentifier', () => {
  it.each([
    ['(price > 0)', 'price', 'cost', '(cost > 0)'],
    ['lower(email)', 'email', 'mail', 'lower(mail)'],
    ['lower(lower)', 'lower', 'low', 'lower(low)'],
    ["(email <> 'email'::text)", 'email', 'mail', "(mail <> 'email'::text)"],
    ["(note = E'it\\'s email')", 'email', 'mail', "(note = E'it\\'s email')"],
    ['(("Total" > 0) AND (total > 1))', 'Total', 'Sum', '(("Sum" > 0) AND (total > 1))'],
    ['(total > 0)', 'total', 'order', '("order" > 0)'],
    ['(total > 0)', 'total', 'Grand Total', '("Grand Total" > 0)'],
    ['((data).text IS NOT NULL)', 'text', 'body', '((data).text IS NOT NULL)'],
    ["((x)::text <> ''::text)", 'text', 'body', "((x)::text <> ''::text)"],
    ['CAST(x AS date)', 'date', 'day', 'CAST(x AS date)'],
    ['(a1 + a)', 'a', 'b', '(a1 + b)'],
  ])('%s: %s → %s', (expr, from, to, expected) => {
    expect(renameIdentifier(expr, from, to, quoteIdent)).toBe(expected)
  })

  it("quotes the new name with the quoter it is given (the target dialect's)", () => {
    expect(renameIdentifier('(total > 0)', 'total', 'order', mysqlQuoteIdent)).toBe('(`order` > 0)')
    expect(renameIdentifier('(total > 0)', 'total', 'user', quoteIdent)).toBe('("user" > 0)')
  })
})

describe('mentionsIdentifier', () => {
  it.each([
    ['lower(email)', 'email', true],
    ['lower(email)', 'lower', false],
    ["(x = 'email')", 'email', false],
    ['("Email" > 0)', 'email', false],
    ['("Email" > 0)', 'Email', true],
    ['(EMAIL > 0)', 'email', true],
  ])('%s mentions %s: %s', (expr, column, expected) => {
    expect(mentionsIdentifier(expr, column)).toBe(expected)
  })
})

describe('mayReadColumns', () => {
  it.each([
    ['SELECT users.id FROM users', ['email'], false],
    ['SELECT users.id, users.email FROM users', ['email'], true],
    ['SELECT * FROM users', ['email'], true],
    ['SELECT count(*) AS count FROM users', ['email'], true],
  ])('%s reads %j: %s', (sql, columns, expected) => {
    expect(mayReadColumns(sql, new Set(columns))).toBe(expected)
  })
})
