import { beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceParser, sqlReferences } from './sql-references.js'

beforeAll(() => loadReferenceParser())

/** Each type named, with the text its own name spans. */
const types = (sql: string, as: 'expression' | 'query' = 'expression') =>
  sqlReferences(sql, as).types.map((t) => ({ ...t.name, text: sql.slice(t.start, t.end) }))

describe('sqlReferences', () => {
  it('finds a type in every spelling of a cast, with the span of its own name', () => {
    expect(types(`CAST(x AS "Shop"."Mood")`)).toEqual([{ schema: 'Shop', name: 'Mood', text: '"Mood"' }])
    expect(types('x::public.mood[]')).toEqual([{ schema: 'public', name: 'mood', text: 'mood' }])
    expect(types(`'{a}'::MOOD[]`)).toEqual([{ name: 'mood', text: 'MOOD' }])
    expect(types(`(m)::"Shop" . "Mo""od" IS NULL`)).toEqual([{ schema: 'Shop', name: 'Mo"od', text: '"Mo""od"' }])
    expect(types(`'é'::text || 'x'::mood`)).toEqual([
      { name: 'text', text: 'text' },
      { name: 'mood', text: 'mood' },
    ])
  })

  it('reads a view query and leaves names in strings and comments alone', () => {
    expect(
      types(
        `SELECT id, CAST(m AS mood) AS m, '::mood' AS s /* ::mood */ FROM posts WHERE m = 'a'::public.mood`,
        'query',
      ),
    ).toEqual([
      { name: 'mood', text: 'mood' },
      { schema: 'public', name: 'mood', text: 'mood' },
    ])
  })

  it('finds the functions called, qualified or quoted', () => {
    expect(sqlReferences(`public.is_ok(m) AND "Is_Ok" (m) AND 'is_ok(m)' <> ''`, 'expression').calls).toEqual([
      { schema: 'public', name: 'is_ok' },
      { name: 'Is_Ok' },
    ])
  })
})
