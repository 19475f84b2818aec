import { beforeAll, describe, expect, it } from 'vitest'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { quoteIdent } from '../dialect/postgres/quote.js'
import { nameOf } from '../schema/build.js'
import { type EnumSwap, restoreText, retargetText } from './enum-swap.js'

beforeAll(() => postgresPhaseSql.prepare())

const refs = { references: postgresPhaseSql.references, quoteIdent }
const swap = (name: string, temp: string): EnumSwap => ({
  name: nameOf(name),
  temp: nameOf(temp),
  to: { name: nameOf(name), values: ['a'] },
})

describe('retargetText and restoreText', () => {
  const swaps = new Map([
    ['mood', swap('public.mood', 'public.mood_keel_new')],
    ['Mood', swap('Shop.Mood', 'Shop.Mood_keel_new')],
  ])
  it.each([
    ["m = 'a'::mood", "m = 'a'::mood_keel_new"],
    ['m::public.mood[] IS NULL', 'm::public.mood_keel_new[] IS NULL'],
    ['CAST(m AS "Shop"."Mood") = \'a\'', 'CAST(m AS "Shop"."Mood_keel_new") = \'a\''],
    ['(m)::"Shop"."Mood"[]', '(m)::"Shop"."Mood_keel_new"[]'],
    // Not the enum: another schema's type of the same name, a string, a column named like it.
    ["m::other.mood = 'x::mood' AND mood > 0", "m::other.mood = 'x::mood' AND mood > 0"],
    // An unqualified "Mood" is public's, not Shop's.
    ['m::"Mood"', 'm::"Mood"'],
  ])('%s -> %s, and back', (sql, twin) => {
    expect(retargetText(sql, swaps, refs)).toBe(twin)
    expect(restoreText(twin, [...swaps.values()], refs)).toBe(sql)
  })

  it('rewrites a view query', () => {
    const view = 'SELECT p.id FROM posts p WHERE CAST(p.m AS "Shop"."Mood") = \'a\''
    expect(retargetText(view, swaps, refs, 'query')).toBe(
      'SELECT p.id FROM posts p WHERE CAST(p.m AS "Shop"."Mood_keel_new") = \'a\'',
    )
  })

  it('quotes a name given back where the dialect needs it: an enum named with a keyword', () => {
    const order = [swap('public.order', 'public.order_keel_new')]
    // The server prints the twin bare (not a keyword); its name given back must not be: `'a'::order` does not parse.
    expect(restoreText("s = 'a'::order_keel_new", order, refs)).toBe(`s = 'a'::"order"`)
    expect(retargetText(`s = 'a'::"order"`, new Map([['order', order[0] as EnumSwap]]), refs)).toBe(
      `s = 'a'::"order_keel_new"`,
    )
  })
})
