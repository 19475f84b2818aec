import { beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceParser, sqlReferences } from '../dialect/postgres/sql-references.js'
import { check, col, enumOf, enumRef, index, schemaOf, tableOf, viewOf } from '../schema/build.js'
import type { Schema } from '../schema/model.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

// What names an enum only in a cast (a text column's CAST(m AS "Shop"."Mood"), a default ('happy'::"Shop"."Mood")::text)
// depends on the type in PostgreSQL: recreating the enum fails on DROP TYPE unless the plan takes it out of the way.
// The differ finds it with the dialect's parser (here PostgreSQL's, libpg_query: pure, no database).
beforeAll(() => loadReferenceParser())

const posts = tableOf(
  { schema: 'Shop', name: 'posts' },
  [
    col('id', 'int4', { nullable: false }),
    col('m', 'text', { nullable: false }),
    col('mm', enumRef({ schema: 'Shop', name: 'Mood' }), { default: `'ok'::"Shop"."Mood"` }),
    col('label', 'text', { default: `('happy'::"Shop"."Mood")::text` }),
    col('note', 'text', { default: `'"Shop"."Mood"'::text` }),
  ],
  {
    checks: [
      check('m_is_mood', `((m)::"Shop"."Mood" IS NOT NULL)`),
      check('m_short', `(length(m) < 10)`),
      check('m_named', `(m <> 'Mood'::text)`),
    ],
    indexes: [index('posts_mood_idx', [{ expr: `((m)::"Shop"."Mood")` }]), index('posts_m_idx', ['m'])],
  },
)
const moods = viewOf(
  { schema: 'Shop', name: 'moods' },
  `SELECT id, CAST(m AS "Shop"."Mood") AS mood FROM "Shop".posts`,
  ['Shop.posts'],
)
const overMoods = viewOf({ schema: 'Shop', name: 'over_moods' }, `SELECT id FROM "Shop".moods`, ['Shop.moods'])
const plain = viewOf({ schema: 'Shop', name: 'plain' }, `SELECT id, 'Mood' AS word FROM "Shop".posts`, ['Shop.posts'])
const from: Schema = schemaOf({
  enums: [enumOf({ schema: 'Shop', name: 'Mood' }, ['sad', 'ok', 'happy'])],
  tables: [posts],
  views: [moods, overMoods, plain],
})
const withValues = (schema: Schema, values: string[]): Schema => ({
  ...schema,
  enums: schema.enums.map((e) => ({ ...e, values })),
})
const alterEnum = (changes: readonly Change[]) => changes.find((c) => c.kind === 'alterEnum')
const castDrops: Change[] = [
  { kind: 'dropCheck', table: posts.name, check: posts.checks[0]! },
  { kind: 'dropIndex', table: posts.name, index: posts.indexes[0]! },
  { kind: 'dropView', view: moods },
  { kind: 'dropView', view: overMoods },
]

describe('an enum recreated by the diff', () => {
  it('carries the views (and the views over them), checks, indexes and defaults that cast to it', () => {
    const change = alterEnum(
      diff(from, withValues(from, ['ok', 'happy', 'great']), [], { references: sqlReferences }).changes,
    )
    expect(change?.kind === 'alterEnum' && change.dependents).toEqual(castDrops)
    // mm's own default is a usage's; note's names the type only inside a string.
    expect(change?.kind === 'alterEnum' && change.castDefaults).toEqual([
      { table: posts.name, column: posts.columns[3] },
    ])
  })

  it('leaves out what the diff drops itself', () => {
    const to = withValues({ ...from, tables: [{ ...posts, checks: posts.checks.slice(1) }], views: [plain] }, ['ok'])
    const change = alterEnum(diff(from, to, [], { references: sqlReferences }).changes)
    expect(change?.kind === 'alterEnum' && change.dependents).toEqual([castDrops[1]])
  })

  it('finds nothing without the dialect reader (the differ reads no SQL itself)', () => {
    const change = alterEnum(diff(from, withValues(from, ['ok', 'happy'])).changes)
    expect(change).toBeDefined()
    expect(change && ('dependents' in change || 'castDefaults' in change)).toBe(false)
  })
})

describe('an enum that only gains values', () => {
  it('carries the casts too, for its reverse, which recreates it', () => {
    const change = alterEnum(
      diff(from, withValues(from, ['sad', 'ok', 'happy', 'great']), [], { references: sqlReferences }).changes,
    )
    expect(change?.kind === 'alterEnum' && change.dependents).toEqual(castDrops)
    expect(change?.kind === 'alterEnum' && change.castDefaults).toEqual([
      { table: posts.name, column: posts.columns[3] },
    ])
  })
})
