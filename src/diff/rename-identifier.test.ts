import { describe, expect, it } from 'vitest'
import { mayReadColumns, mentionsIdentifier, printIdentifier, renameIdentifier } from './rename-identifier.js'

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
    expect(renameIdentifier(expr, from, to)).toBe(expected)
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

describe('printIdentifier', () => {
  it.each([
    ['total', 'total'],
    ['Total', '"Total"'],
    ['user', '"user"'],
    ['a"b', '"a""b"'],
    ['_x1$', '_x1$'],
  ])('%s → %s', (name, expected) => {
    expect(printIdentifier(name)).toBe(expected)
  })
})
