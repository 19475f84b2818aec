import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import { withQueryParser } from '../../test/support/query-parser.js'
import { breaks, createIdx, dropApart, dropIdx, posts, recreation, step } from '../../test/support/whole-runs-steps.js'
import type { Step } from '../plan/step.js'
import { check, index, nameOf, viewOf } from '../schema/build.js'
import type { QualifiedName } from '../schema/model.js'
import { keepRunsWhole, runMembers } from './whole-runs.js'

// mood is recreated in place, converting public.posts.m (whole-runs-steps.ts); other.posts has a column m of its own.
const otherPosts = nameOf('other.posts')

/** `step` on `table` in its schema (the shared helper locks a table of public). */
const on = (table: QualifiedName, sql: string, source: Step['source'], transactional = true): Step => ({
  ...step(sql, undefined, source, transactional),
  lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [table] },
})

/** The drop of a view `name` over `table`'s m, its definition `definition`. */
const dropView = (name: QualifiedName, table: QualifiedName, definition: string) =>
  on(name, `DROP VIEW ${name.schema}.${name.name}`, changeOf('dropView', { view: viewOf(name, definition, [table]) }))

/** The index posts_happy over m of `table` (its schema, or none: the model may hold none), dropped or made. */
const happyIndex = (kind: 'dropIndex' | 'createIndex', table: QualifiedName) => {
  const where = table.schema === undefined ? 'posts' : `${table.schema}.posts`
  const sql =
    kind === 'dropIndex'
      ? `DROP INDEX ${table.schema ?? 'public'}.posts_happy`
      : `CREATE INDEX posts_happy ON ${where} (id) WHERE m = 'ok'`
  return on(table, sql, changeOf(kind, { table, index: index('posts_happy', ['id'], { where: "m = 'ok'" }) }))
}

describe('runMembers, with names in their schemas', () => {
  // Words alone: whole-runs-views.test.ts reads the same queries with the parser, which tells an alias apart.
  withQueryParser(false)

  it('leaves out the drop of what reads a column of the same name of a table of the same name in another schema', () => {
    // On main the view's words held posts and m, as the converted public.posts.m: it joined the run.
    const dropOther = dropView(nameOf('other.v'), otherPosts, ' SELECT m FROM other.posts;')
    expect(runMembers([dropOther, ...recreation], breaks).has(dropOther)).toBe(false)
    // Without a parser, a name before a dot may be a relation's alias or a table's name: `posts.m` may read
    // public.posts. It joins.
    const aliased = dropView(nameOf('other.v'), otherPosts, ' SELECT posts.m FROM other.posts;')
    expect(runMembers([aliased, ...recreation], breaks).has(aliased)).toBe(true)
  })

  it('keeps the drop of what reads the converted column, qualified or by the search path', () => {
    const qualified = dropView(nameOf('other.v'), posts, ' SELECT posts.m FROM public.posts;')
    expect(runMembers([qualified, ...recreation], breaks).has(qualified)).toBe(true)
    // Its definition as the server prints it under search_path = public: posts alone may be public.posts.
    const unqualified = dropView(nameOf('other.w'), nameOf('posts'), ' SELECT m FROM posts;')
    expect(runMembers([unqualified, ...recreation], breaks).has(unqualified)).toBe(true)
  })

  it('does not take an index made again in another schema for the one the run dropped', () => {
    const otherIdx = happyIndex('createIndex', otherPosts)
    const members = runMembers([dropIdx, ...recreation, createIdx, otherIdx], breaks)
    // On main its key (Index posts posts_happy) and its word m matched public.posts_happy's: it joined the run.
    expect(members.has(otherIdx)).toBe(false)
    expect(members.has(createIdx)).toBe(true)
  })

  it('takes an index the model holds without a schema for the one the run dropped', () => {
    const bare = happyIndex('createIndex', nameOf('posts'))
    expect(runMembers([dropIdx, ...recreation, bare], breaks).has(bare)).toBe(true)
  })

  it('does not take a check over a column of the same name in another schema for one that reads the run', () => {
    const checkOf = (kind: 'dropCheck' | 'addCheck', table: QualifiedName) =>
      on(
        table,
        kind === 'dropCheck'
          ? `ALTER TABLE ${table.schema}.posts DROP CONSTRAINT posts_ok`
          : `ALTER TABLE ${table.schema}.posts ADD CONSTRAINT posts_ok CHECK (m <> 'x')`,
        changeOf(kind, { table, check: check('posts_ok', "m <> 'x'") }),
      )
    const [dropOther, addOther] = [checkOf('dropCheck', otherPosts), checkOf('addCheck', otherPosts)]
    const [dropOwn, addOwn] = [checkOf('dropCheck', posts), checkOf('addCheck', posts)]
    const members = runMembers([dropOther, dropOwn, ...recreation, addOther, addOwn], breaks)
    expect([dropOther, addOther].map((s) => members.has(s))).toEqual([false, false])
    expect([dropOwn, addOwn].map((s) => members.has(s))).toEqual([true, true])
  })
})

describe('keepRunsWhole, with names in their schemas', () => {
  it('leaves a concurrent step where it is when only a same-named object of another schema follows it', () => {
    const apart = dropApart('tags')
    const otherIdx = happyIndex('createIndex', otherPosts)
    const steps = [dropIdx, ...recreation, apart, otherIdx]
    // On main the index on other.posts joined the run, which then spanned the concurrent drop: moved before it.
    expect(keepRunsWhole(steps, breaks)).toEqual(steps)
  })
})
