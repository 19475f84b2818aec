import { describe, expect, it } from 'vitest'
import { arrayOf, col, domainOf, enumOf, enumRef, schemaOf, tableOf } from '../schema/build.js'
import type { Schema } from '../schema/model.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

// A domain over a recreated enum keeps the old type (DROP TYPE fails with 2BP01): the recreation carries it as a
// blocker, which the planner refuses, naming the domain and its columns (domain columns are `native`, named in full).
const moodD = domainOf('public.mood_d', enumRef('public.mood'))
const moodDd = domainOf('public.mood_dd', { kind: 'native', sql: 'public.mood_d' })
const tags = domainOf('public.tags', arrayOf(enumRef('public.mood')))
const from: Schema = schemaOf({
  enums: [enumOf('public.mood', ['sad', 'ok'])],
  domains: [moodD, moodDd, tags, domainOf('public.other', 'text')],
  tables: [
    tableOf('public.posts', [
      col('id', 'int8', { nullable: false }),
      col('m', { kind: 'native', sql: 'public.mood_d' }),
      col('ms', arrayOf({ kind: 'native', sql: 'public.mood_dd' })),
      col('o', { kind: 'native', sql: 'public.other' }),
    ]),
  ],
})

const blockersOf = (changes: readonly Change[]) =>
  changes.flatMap((c) => (c.kind === 'alterEnum' ? [c.blockers ?? []] : []))

describe('a domain over a recreated enum', () => {
  it('blocks a recreation, naming each domain over it (an array, another domain) and its columns', () => {
    const to = { ...from, enums: [enumOf('public.mood', ['ok', 'great'])] }
    const [blockers] = blockersOf(diff(from, to).changes)
    expect(blockers).toEqual([
      expect.stringMatching(/^domain public\.mood_d is over it \(used by column public\.posts\.m\); convert/),
      expect.stringMatching(/^domain public\.mood_dd is over it \(used by column public\.posts\.ms\)/),
      expect.stringMatching(/^domain public\.tags is over it \(used by no column\)/),
    ])
  })

  it('does not block values only added (ALTER TYPE ... ADD VALUE leaves the domain alone)', () => {
    const to = { ...from, enums: [enumOf('public.mood', ['sad', 'ok', 'great'])] }
    expect(blockersOf(diff(from, to).changes)).toEqual([[]])
  })
})
