import { describe, expect, it } from 'vitest'
import { arrayOf, check, col, domainOf, enumOf, enumRef, index, schemaOf, tableOf, triggerOf } from '../schema/build.js'
import type { Schema } from '../schema/model.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

// A domain over a recreated enum keeps the old type (DROP TYPE fails with 2BP01). One directly over it whose columns
// nothing else reads is recreated with it (`domains`); any other is a blocker, which the planner refuses, naming the
// domain and its columns (domain columns are `native`, named in full).
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

const fixesOf = (changes: readonly Change[]) => changes.flatMap((c) => (c.kind === 'alterEnum' ? [c.fixes ?? []] : []))

const domainsOf = (changes: readonly Change[]) =>
  changes.flatMap((c) => (c.kind === 'alterEnum' ? [c.domains ?? []] : []))

const recreated = (schema: Schema) => ({ ...schema, enums: [enumOf('public.mood', ['ok', 'great'])] })

describe('a domain over a recreated enum', () => {
  it('blocks a recreation, naming each domain over it (an array, another domain) and its columns', () => {
    const [blockers] = blockersOf(diff(from, recreated(from)).changes)
    expect(blockers).toEqual([
      expect.stringMatching(
        /^domain public\.mood_d is over it \(used by column public\.posts\.m\) and domain public\.mood_dd is over it in turn; convert/,
      ),
      expect.stringMatching(
        /^domain public\.mood_dd is over it \(used by column public\.posts\.ms\) and is not directly/,
      ),
      expect.stringMatching(/^domain public\.tags is over it \(used by no column\) and is not directly over it/),
    ])
    // The refusal's hint, one for each, by name (steps-enum.ts).
    expect(fixesOf(diff(from, recreated(from)).changes)).toEqual([
      [
        'convert column public.posts.m to the enum or to text and drop domain public.mood_d in a migration of its own first, then create it again and convert back in one after the enum changes',
        'convert column public.posts.ms to the enum or to text and drop domain public.mood_dd in a migration of its own first, then create it again and convert back in one after the enum changes',
        'drop domain public.tags in a migration of its own first, then create it again in one after the enum changes',
      ],
    ])
  })

  it('recreates a domain directly over it, with what reads its columns moved around it', () => {
    const plain = schemaOf({
      enums: [enumOf('public.mood', ['sad', 'ok'])],
      domains: [moodD],
      tables: [
        tableOf(
          'public.posts',
          [col('id', 'int8', { nullable: false }), col('m', { kind: 'native', sql: 'public.mood_d' })],
          {
            indexes: [index('posts_m', ['m'])],
          },
        ),
      ],
    })
    const changes = diff(plain, recreated(plain)).changes
    expect(blockersOf(changes)).toEqual([[]])
    expect(domainsOf(changes)).toEqual([
      [{ domain: moodD, columns: [{ table: plain.tables[0]?.name, column: plain.tables[0]?.columns[1] }] }],
    ])

    // A check over a domain column is dropped and added again by the diff, as for the enum's own columns.
    const checked = {
      ...plain,
      tables: plain.tables.map((t) => ({ ...t, checks: [check('posts_m_check', "((m)::mood <> 'ok'::mood)")] })),
    }
    const withCheck = diff(checked, recreated(checked)).changes
    expect(blockersOf(withCheck)).toEqual([[]])
    expect(withCheck.filter((c) => c.kind === 'dropCheck' || c.kind === 'addCheck').map((c) => c.kind)).toEqual([
      'dropCheck',
      'addCheck',
    ])

    // A stored generated column over one is dropped and added again (computed, nothing lost).
    const generated = {
      ...plain,
      tables: plain.tables.map((t) => ({
        ...t,
        columns: [...t.columns, col('known', 'bool', { generated: { expr: '(m IS NOT NULL)', stored: true } })],
      })),
    }
    const withGenerated = diff(generated, recreated(generated)).changes
    expect(blockersOf(withGenerated)).toEqual([[]])
    expect(
      withGenerated.flatMap((c) => (c.kind === 'dropColumn' || c.kind === 'addColumn' ? [c.kind, c.column.name] : [])),
    ).toEqual(['dropColumn', 'known', 'addColumn', 'known'])

    // A trigger naming one is dropped and created again by the diff.
    const triggered = {
      ...plain,
      triggers: [
        triggerOf(
          'public.posts',
          'posts_touch',
          'public.touch',
          'CREATE TRIGGER posts_touch BEFORE UPDATE ON public.posts FOR EACH ROW WHEN ((new.m IS NOT NULL)) EXECUTE FUNCTION public.touch()',
          { columns: ['m'] },
        ),
      ],
    }
    const withTrigger = diff(triggered, recreated(triggered)).changes
    expect(blockersOf(withTrigger)).toEqual([[]])
    expect(withTrigger.filter((c) => c.kind.endsWith('Trigger')).map((c) => c.kind)).toEqual([
      'dropTrigger',
      'createTrigger',
    ])
  })

  it('gives the reverse of an ADD VALUE the domain to make again, and the readers of its columns to move', () => {
    const plain = schemaOf({
      enums: [enumOf('public.mood', ['sad', 'ok'])],
      domains: [moodD],
      tables: [
        tableOf(
          'public.posts',
          [col('id', 'int8', { nullable: false }), col('m', { kind: 'native', sql: 'public.mood_d' })],
          { checks: [check('posts_m_check', "((m)::mood <> 'ok'::mood)")] },
        ),
      ],
    })
    const to = { ...plain, enums: [enumOf('public.mood', ['sad', 'ok', 'great'])] }
    const [change] = diff(plain, to).changes
    expect(change?.kind === 'alterEnum' && change.domains?.map((d) => d.domain.name.name)).toEqual(['mood_d'])
    expect(change?.kind === 'alterEnum' && change.dependents?.map((d) => d.kind)).toEqual(['dropCheck'])
  })

  it('does not block values only added (ALTER TYPE ... ADD VALUE leaves the domain alone)', () => {
    const to = { ...from, enums: [enumOf('public.mood', ['sad', 'ok', 'great'])] }
    expect(blockersOf(diff(from, to).changes)).toEqual([[]])
  })
})
