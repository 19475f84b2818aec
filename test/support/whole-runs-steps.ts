/**
 * Steps of a plan as keepRunsWhole sees them (src/migrate/whole-runs*.test.ts): mood recreated in place, posts.m
 * converted, the index posts_happy over it dropped before and made again after, and helpers for other steps. Their
 * changes are whole (change-of.ts): whole-runs.ts and step-ties.ts read the model.
 */
import type { Change } from '../../src/diff/change.js'
import type { Step } from '../../src/plan/step.js'
import { type ColumnOptions, check, col, enumOf, enumRef, fk, index, nameOf } from '../../src/schema/build.js'
import type { ColumnType, QualifiedName } from '../../src/schema/model.js'
import { alterColumnOf, type ChangeOfKind, changeOf } from './change-of.js'

export const posts = nameOf('public.posts')
export const tags = nameOf('public.tags')
/** mood as the start has it: recreate drops its value sad, converting posts.m. */
export const mood = enumOf('public.mood', ['sad', 'ok'])
export const recreate = changeOf('alterEnum', {
  from: mood,
  to: enumOf(mood.name, ['ok']),
  usages: [{ table: posts, column: col('m', enumRef(mood.name)) }],
})
/** A foreign key to tags (the key a unique index over `columns` of tags serves). */
export const keyToTags = (name: string, columns = ['id']) => fk(name, ['t'], tags, columns)

/** The kinds of change `other` makes. */
export type OtherKind =
  | 'createIndex'
  | 'dropIndex'
  | 'addCheck'
  | 'dropCheck'
  | 'addColumn'
  | 'dropColumn'
  | 'addForeignKey'
  | 'dropForeignKey'

/** A change of one object of a table as the model has it: an index over id, a check, an integer column, a key to tags. */
export const other = (kind: OtherKind, table: string, name: string): Change => {
  const on = nameOf(`public.${table}`)
  switch (kind) {
    case 'createIndex':
    case 'dropIndex':
      return changeOf(kind, { table: on, index: index(name, ['id']) })
    case 'addCheck':
    case 'dropCheck':
      return changeOf(kind, { table: on, check: check(name, 'id > 0') })
    case 'addColumn':
    case 'dropColumn':
      return changeOf(kind, { table: on, column: col(name, 'int4') })
    default:
      return changeOf(kind, { table: on, foreignKey: keyToTags(name) })
  }
}
/** The unique index over `column` of tags that a key to tags(column) uses. */
export const keyIndex = (column: string) =>
  changeOf('createIndex', { table: tags, index: index('tags_key', [column], { unique: true }) })

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
/** The recreation's own steps, in the planner's order. */
export const recreation = [rename, create, convert, dropOld]
export const createIdx = step(
  "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'ok'",
  'posts',
  other('createIndex', 'posts', 'posts_happy'),
)
export const breaks = (s: Step) => !s.transactional || /\bVALIDATE\b/.test(s.sql)

/** A concurrent drop of the index `<table>_old`, outside a transaction. */
export const dropApart = (table: string) =>
  step(`DROP INDEX CONCURRENTLY public.${table}_old`, table, other('dropIndex', table, `${table}_old`), false)

/**
 * A column's NOT NULL as the planner makes it apart, its steps sharing the change as the planner's do: a NOT VALID
 * check, its VALIDATE (outside a transaction), SET NOT NULL, and the check's drop.
 */
export const notNullApart = (source: ChangeOfKind<'alterColumn'>) => {
  const [table, column] = [source.table.name, source.to.name]
  const on = (sql: string, transactional = true) =>
    step(`ALTER TABLE public.${table} ${sql}`, table, source, transactional)
  const check = `${table}_${column}_keel_nn`
  return {
    add: on(`ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID`),
    validate: on(`VALIDATE CONSTRAINT ${check}`, false),
    set: on(`ALTER COLUMN ${column} SET NOT NULL`),
    drop: on(`DROP CONSTRAINT ${check}`),
  }
}

/**
 * A column of `table` made NOT NULL apart (see notNullApart), its type `from` before and `to` after; `options`: the
 * rest of what it becomes (a default).
 */
export const madeNotNull = (
  table: QualifiedName,
  column: string,
  from: ColumnType,
  to = from,
  options: ColumnOptions = {},
) => notNullApart(alterColumnOf(table, col(column, from), col(column, to, { ...options, nullable: false })))

/** A smallint column of posts made NOT NULL apart (see notNullApart); `retyped`: it becomes an integer too. */
export const notNullOfPosts = (column: string, retyped = false) =>
  madeNotNull(posts, column, { kind: 'integer', bytes: 2 }, { kind: 'integer', bytes: retyped ? 4 : 2 })

/** The check posts_ok over m, which names the type, dropped before the recreation and added again after it. */
const postsOk = (kind: 'addCheck' | 'dropCheck') =>
  changeOf(kind, { table: posts, check: check('posts_ok', "m <> 'ok'::mood") })
export const dropPostsOk = step('ALTER TABLE public.posts DROP CONSTRAINT posts_ok', 'posts', postsOk('dropCheck'))
export const addPostsOk = step(
  "ALTER TABLE public.posts ADD CONSTRAINT posts_ok CHECK (m <> 'ok'::mood)",
  'posts',
  postsOk('addCheck'),
)
