import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import { withQueryParser } from '../../test/support/query-parser.js'
import { breaks, posts, recreation, step } from '../../test/support/whole-runs-steps.js'
import type { Step } from '../plan/step.js'
import { index, nameOf, viewOf } from '../schema/build.js'
import type { QualifiedName } from '../schema/model.js'
import { keepRunsWhole, runMembers } from './whole-runs.js'

// mood is recreated in place, converting public.posts.m (whole-runs-steps.ts); other.posts has a column m of its own.
const otherPosts = nameOf('other.posts')
const otherT = nameOf('other.t')

/** A view `name` over `tables` dropped or made, its definition `query` as the server prints it. */
const viewStep = (kind: 'dropView' | 'createView', name: string, query: string, tables: readonly QualifiedName[]) => {
  const view = viewOf(nameOf(name), ` ${query};`, [...tables])
  const sql = kind === 'dropView' ? `DROP VIEW ${name}` : `CREATE VIEW ${name} AS ${query}`
  return {
    ...step(sql, undefined, changeOf(kind, { view })),
    lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [nameOf(name)] },
  } satisfies Step
}

/** The index `public.t` of orders, dropped concurrently: named as other.t's range entry is in a view's query. */
const dropT = {
  ...step(
    'DROP INDEX CONCURRENTLY public.t',
    'orders',
    changeOf('dropIndex', { table: nameOf('public.orders'), index: index('t', ['b']) }),
    false,
  ),
}

const overOther = 'SELECT posts.m, t.e FROM (other.posts JOIN other.t ON ((t.id = posts.id)))'
const overPublic = 'SELECT posts.m, t.e FROM (public.posts JOIN other.t ON ((t.id = posts.id)))'

describe('views in an enum recreation’s run, their queries read by the parser', () => {
  withQueryParser(true)

  it('leaves out a view over another schema’s same-named table, which the qualifier posts named', () => {
    const drop = viewStep('dropView', 'other.v', overOther, [otherPosts, otherT])
    const make = viewStep('createView', 'other.v', `${overOther.slice(0, -1)} AND posts.m IS NOT NULL)`, [
      otherPosts,
      otherT,
    ])
    // On main the qualifier posts (and the column m) read public.posts.m: the drop joined the run, and the make too.
    const members = runMembers([drop, ...recreation, make], breaks)
    expect([drop, make].map((s) => members.has(s))).toEqual([false, false])
  })

  it('keeps a view that reads the converted column in the run, its drop before and its make after', () => {
    const drop = viewStep('dropView', 'other.w', overPublic, [posts, otherT])
    const make = viewStep('createView', 'other.w', overPublic, [posts, otherT])
    const members = runMembers([drop, ...recreation, make], breaks)
    expect([drop, make].map((s) => members.has(s))).toEqual([true, true])
  })

  it('moves a concurrent drop named as a qualifier out of the run rather than refuse the plan', () => {
    const drop = viewStep('dropView', 'other.v', overOther, [otherPosts, otherT])
    const make = viewStep('createView', 'other.v', overOther, [otherPosts, otherT])
    // On main the bare t tied the drop of public.t to the view's drop and make, both in the run: error[SPLIT_RUN].
    const steps = [drop, dropT, ...recreation, make]
    expect(keepRunsWhole(steps, breaks)).toEqual(steps)
  })

  it('still refuses when the view that reads the converted column names the index', () => {
    // Its query reads public.t (a relation of that name may be the index's, by the parser as by words): tied.
    const query = 'SELECT posts.m FROM (public.posts JOIN t ON ((t.id = posts.id)))'
    const drop = viewStep('dropView', 'other.w', query, [posts, nameOf('t')])
    const make = viewStep('createView', 'other.w', query, [posts, nameOf('t')])
    expect(() => keepRunsWhole([drop, dropT, ...recreation, make], breaks)).toThrow(
      /cannot run in a transaction, and it falls inside/,
    )
  })
})
