/**
 * Steps of a plan as keepRunsWhole sees them (src/migrate/whole-runs*.test.ts): mood recreated in place, posts.m
 * converted, the index posts_happy over it dropped before and made again after, and helpers for other steps.
 */
import type { Change } from '../../src/diff/change.js'
import type { Step } from '../../src/plan/step.js'

export const mood = { name: { schema: 'public', name: 'mood' } }
export const recreate = {
  kind: 'alterEnum',
  from: { ...mood, values: ['sad', 'ok'] },
  to: { ...mood, values: ['ok'] },
  usages: [{ table: { schema: 'public', name: 'posts' }, column: { name: 'm' } }],
} as unknown as Change
export const tags = { schema: 'public', name: 'tags' }
/** A foreign key to tags (the key a unique index over `columns` of tags serves). */
export const keyToTags = (name: string, columns = ['id']) => ({
  name,
  columns: ['t'],
  references: { table: tags, columns },
  onDelete: 'NO ACTION' as const,
  onUpdate: 'NO ACTION' as const,
})
/** A change of one object of a table as the model has it: an index over id, a check, an integer column, a key to tags. */
export const other = (kind: string, table: string, name: string) => {
  const object = kind.endsWith('Index')
    ? { index: { name, parts: [{ column: 'id' }], unique: false, include: [] } }
    : kind.endsWith('Check')
      ? { check: { name, expr: 'id > 0' } }
      : kind.endsWith('Column')
        ? { column: { name, type: { kind: 'integer', bytes: 4 }, nullable: true } }
        : { foreignKey: keyToTags(name) }
  return { kind, table: { schema: 'public', name: table }, ...object } as unknown as Change
}
/** The unique index over `column` of tags that a key to tags(column) uses. */
export const keyIndex = (column: string) =>
  ({
    kind: 'createIndex',
    table: tags,
    index: { name: 'tags_key', parts: [{ column }], unique: true, include: [] },
  }) as unknown as Change

export const step = (sql: string, table: string | undefined, source: Change, transactional = true): Step => ({
  sql,
  reverse: { sql: '' },
  transactional,
  lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: table ? [{ schema: 'public', name: table }] : [] },
  rewritesTable: false,
  scansTable: false,
  dataLoss: 'none',
  phase: 'contract',
  source,
  comment: sql,
})

// The recreation of mood with the index on its column dropped before and made again after.
export const dropIdx = step('DROP INDEX public.posts_happy', 'posts', other('dropIndex', 'posts', 'posts_happy'))
export const rename = step('ALTER TYPE public.mood RENAME TO mood_keel_old', undefined, recreate)
export const create = step("CREATE TYPE public.mood AS ENUM ('ok')", undefined, recreate)
export const convert = {
  ...step('ALTER TABLE public.posts ALTER COLUMN m TYPE public.mood USING m::text::public.mood', 'posts', recreate),
  rewritesTable: true,
}
export const dropOld = step('DROP TYPE public.mood_keel_old', undefined, recreate)
export const createIdx = step(
  "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'ok'",
  'posts',
  other('createIndex', 'posts', 'posts_happy'),
)
export const breaks = (s: Step) => !s.transactional || /\bVALIDATE\b/.test(s.sql)

/** One change of a column of posts, its steps sharing it as the planner's do; `retyped`: its type changes too. */
export const columnChange = (column: string, retyped = false) => {
  const source = {
    kind: 'alterColumn',
    table: { schema: 'public', name: 'posts' },
    from: { name: column, nullable: true, type: { kind: 'integer', bytes: 2 } },
    to: { name: column, nullable: false, type: { kind: 'integer', bytes: retyped ? 4 : 2 } },
  } as unknown as Change
  return (sql: string, transactional = true) => step(sql, 'posts', source, transactional)
}
