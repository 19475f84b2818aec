import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import {
  addPostsOk,
  breaks,
  convert,
  create,
  createIdx,
  dropApart,
  dropIdx,
  dropOld,
  dropPostsOk,
  keyIndex,
  keyToTags,
  madeNotNull,
  mood,
  notNullOfPosts,
  other,
  posts,
  recreate,
  recreation,
  rename,
  step,
} from '../../test/support/whole-runs-steps.js'
import { KeelError } from '../errors.js'
import type { Step } from '../plan/step.js'
import { col, enumRef, nameOf, pk as primaryKey, routineOf, unique as uniqueOf, viewOf } from '../schema/build.js'
import { dependsOn } from './step-ties.js'
import { keepRunsWhole, runMembers } from './whole-runs.js'

describe('keepRunsWhole', () => {
  it('moves a concurrent drop on another table out of the run, before it', () => {
    const apart = dropApart('tags')
    const out = keepRunsWhole([dropIdx, apart, ...recreation, createIdx], breaks)
    expect(out).toEqual([apart, dropIdx, ...recreation, createIdx])
  })

  it('moves a concurrent build that a later key needs before the run, and the key stays after it', () => {
    const old = step('ALTER TABLE public.tags DROP COLUMN old', 'tags', other('dropColumn', 'tags', 'x'))
    const build = step('CREATE UNIQUE INDEX CONCURRENTLY tags_key ON public.tags (id)', 'tags', keyIndex('id'), false)
    const fk = {
      ...step(
        'ALTER TABLE public.notes ADD CONSTRAINT notes_fk FOREIGN KEY (t) REFERENCES public.tags (id)',
        'notes',
        other('addForeignKey', 'notes', 'notes_fk'),
      ),
      lock: { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [{ name: 'notes' }, { name: 'tags' }] },
    } as Step
    const out = keepRunsWhole([dropIdx, old, rename, build, create, fk, convert, dropOld, createIdx], breaks)
    // The build goes before the run with the drop of tags.old it follows (both on tags); the key stays after it.
    expect(out).toEqual([old, build, dropIdx, rename, create, fk, convert, dropOld, createIdx])
  })

  it('moves a concurrent build after the run, with the key that needs it, when it needs a step of the run', () => {
    // The index reads a function the run makes again over the new type.
    const fn = step('CREATE FUNCTION public.is_ok(x public.mood) RETURNS boolean', undefined, recreate)
    const build = step(
      'CREATE UNIQUE INDEX CONCURRENTLY tags_key ON public.tags (m) WHERE public.is_ok(m)',
      'tags',
      keyIndex('m'),
      false,
    )
    const fk = {
      ...step(
        'ALTER TABLE public.notes ADD CONSTRAINT notes_fk FOREIGN KEY (t) REFERENCES public.tags (m)',
        'notes',
        changeOf('addForeignKey', {
          table: nameOf('public.notes'),
          foreignKey: keyToTags('notes_fk', ['m']),
        }),
      ),
      lock: { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [{ name: 'notes' }, { name: 'tags' }] },
    } as Step
    const fnFirst = {
      ...fn,
      source: changeOf('createRoutine', { routine: routineOf('is_ok', fn.sql) }),
    }
    const out = keepRunsWhole([dropIdx, rename, create, convert, fnFirst, build, fk, dropOld, createIdx], breaks)
    expect(out).toEqual([dropIdx, rename, create, convert, fnFirst, dropOld, createIdx, build, fk])
  })

  it('ties a drop apart to a create of the same name on another table', () => {
    const drop = step(
      'DROP INDEX CONCURRENTLY public.shared_idx',
      'tags',
      other('dropIndex', 'tags', 'shared_idx'),
      false,
    )
    const again = step(
      'CREATE INDEX shared_idx ON public.notes (a)',
      'notes',
      other('createIndex', 'notes', 'shared_idx'),
    )
    const unrelated = step(
      'CREATE INDEX notes_b ON public.labels (b)',
      'labels',
      other('createIndex', 'labels', 'notes_b'),
    )
    expect(dependsOn(again, drop)).toBe(true)
    expect(dependsOn(drop, again)).toBe(true)
    expect(dependsOn(unrelated, drop)).toBe(false)
  })

  it('refuses a step outside a transaction that the run needs on both sides', () => {
    // A validation of a check on posts, the converted table, between the drop of its index and the conversion.
    const validate = step(
      'ALTER TABLE public.posts VALIDATE CONSTRAINT posts_check',
      'posts',
      other('addCheck', 'posts', 'posts_check'),
    )
    expect(() => keepRunsWhole([dropIdx, validate, ...recreation, createIdx], breaks)).toThrow(KeelError)
    try {
      keepRunsWhole([dropIdx, validate, ...recreation, createIdx], breaks)
    } catch (error) {
      expect((error as KeelError).code).toBe('SPLIT_RUN')
      expect((error as Error).message).toContain('VALIDATE CONSTRAINT posts_check')
    }
  })

  // The round trip's pair (seed -1960771233, path "11"): a column of the converted table made NOT NULL after the
  // recreation, by a check validated apart, and a new index over the converted column after that.
  const { add: addNn, validate: validateNn, set: setNn, drop: dropNn } = notNullOfPosts('n')

  it('leaves a VALIDATE on the converted table after the recreation where it is: the run ends before it', () => {
    const newIdx = step(
      "CREATE INDEX posts_ok ON public.posts (id) WHERE m = 'ok'::mood",
      'posts',
      other('createIndex', 'posts', 'posts_ok'),
    )
    const steps = [...recreation, addNn, validateNn, setNn, dropNn, newIdx]
    // On main: error[SPLIT_RUN] (the table, and the type's name in the index, tied the later steps to the run).
    expect(keepRunsWhole(steps, breaks)).toEqual(steps)
  })

  it('moves a VALIDATE after the recreation past what the run makes again, with what reads its column', () => {
    const column = (kind: 'addColumn' | 'dropColumn', name: string, sql: string, expr?: string) =>
      step(
        sql,
        'posts',
        changeOf(kind, { table: posts, column: col(name, 'int8', expr ? { generated: { expr, stored: true } } : {}) }),
      )
    // n is retyped and made NOT NULL; g reads n (not converted): dropped for n, made again after it; h reads m
    // (converted): the run's, with the index over h.
    const { add: addNn, validate: validateNn, set: setNn, drop: dropNn } = notNullOfPosts('n', true)
    const dropG = column('dropColumn', 'g', 'ALTER TABLE public.posts DROP COLUMN g', 'n * 3')
    const dropH = column('dropColumn', 'h', 'ALTER TABLE public.posts DROP COLUMN h', "m = 'ok'")
    const addG = column(
      'addColumn',
      'g',
      'ALTER TABLE public.posts ADD COLUMN g bigint GENERATED ALWAYS AS (n * 3) STORED',
      'n * 3',
    )
    const addH = column(
      'addColumn',
      'h',
      "ALTER TABLE public.posts ADD COLUMN h boolean GENERATED ALWAYS AS (m = 'ok') STORED",
      "m = 'ok'",
    )
    const hIdx = step(
      'CREATE INDEX posts_h_idx ON public.posts (h)',
      'posts',
      other('createIndex', 'posts', 'posts_h_idx'),
    )
    const dropHIdx = step('DROP INDEX public.posts_h_idx', 'posts', other('dropIndex', 'posts', 'posts_h_idx'))
    // A key over another column, by its index's name alone (round trip, seed 1998470238, path "64"): it keeps n's
    // order with nothing, and ties h to nothing either.
    const pk = step(
      'ALTER TABLE public.posts ADD CONSTRAINT posts_pkey PRIMARY KEY USING INDEX posts_pkey',
      'posts',
      changeOf('addPrimaryKey', { table: posts, primaryKey: primaryKey('posts_pkey', ['id']) }),
    )
    const steps = [dropHIdx, dropG, dropH, ...recreation, addNn, validateNn, setNn, dropNn, addG, addH, pk, hIdx]
    // On main: error[SPLIT_RUN] (it needs the conversion before it, and the run's ADD COLUMN h needs it by the table).
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropHIdx,
      dropG,
      dropH,
      ...recreation,
      addNn,
      addH,
      pk,
      hIdx,
      validateNn,
      setNn,
      dropNn,
      addG,
    ])
  })

  it('moves the NOT NULL of a converted column past a check made again over it (round trip, seed 11, path "10")', () => {
    const { add: addM, validate: validateM, set: setM } = notNullOfPosts('m')
    const [dropCheck, addCheck] = [dropPostsOk, addPostsOk]
    const steps = [dropCheck, ...recreation, addM, validateM, setM, addCheck]
    // On main: error[SPLIT_RUN] (the check names m, and the table ties them both ways).
    expect(keepRunsWhole(steps, breaks)).toEqual([dropCheck, ...recreation, addM, addCheck, validateM, setM])
  })

  it('moves the NOT NULL and default of a converted column past an index made again over it', () => {
    // Round trip, seed 24, path "67": the change of m is of its NOT NULL and its default, which no reader sees.
    const type = enumRef(mood.name)
    const { add: addM, validate: validateM, set: setM } = madeNotNull(posts, 'm', type, type, { default: "'ok'::mood" })
    const defaultM = step("ALTER TABLE public.posts ALTER COLUMN m SET DEFAULT 'ok'::mood", 'posts', addM.source)
    const steps = [dropIdx, ...recreation, addM, validateM, setM, defaultM, createIdx]
    // On 13af4ce: error[SPLIT_RUN] (the default made the change one that posts_happy, naming m, reads).
    expect(keepRunsWhole(steps, breaks)).toEqual([dropIdx, ...recreation, addM, createIdx, validateM, setM, defaultM])
  })

  it('moves a unique key built apart on the converted table past a check made again over its column', () => {
    // Round trip, seed 1998470238, path "24": the key over m is a change of m's readers, not of m.
    const unique = changeOf('addUnique', { table: posts, unique: uniqueOf('posts_m_key', ['m']) })
    const build = step('CREATE UNIQUE INDEX CONCURRENTLY posts_m_key ON public.posts (m)', 'posts', unique, false)
    const attach = step(
      'ALTER TABLE public.posts ADD CONSTRAINT posts_m_key UNIQUE USING INDEX posts_m_key',
      'posts',
      unique,
    )
    const [dropCheck, addCheck] = [dropPostsOk, addPostsOk]
    const steps = [dropCheck, ...recreation, build, attach, addCheck]
    // On 146d53f: error[SPLIT_RUN] (the key's column m tied it to the check that names m).
    expect(keepRunsWhole(steps, breaks)).toEqual([dropCheck, ...recreation, addCheck, build, attach])
  })

  it('counts a view over a converted column in the run, and moves a NOT NULL past a view that does not read it', () => {
    // Round trip, seed 896117121, path "240": posts_v reads m through a cast to the type (its DROP names neither), so
    // it is the run's, and its CREATE after; posts_ids reads posts but not n, whose NOT NULL is validated apart.
    const view = (kind: 'createView' | 'dropView', name: string, definition: string) =>
      step(
        kind === 'dropView' ? `DROP VIEW public.${name}` : `CREATE VIEW public.${name} AS ${definition}`,
        undefined,
        changeOf(kind, { view: viewOf(`public.${name}`, definition, [posts]) }),
      )
    const readsM = "SELECT id, m FROM public.posts WHERE m <> 'ok'::mood"
    const dropV = view('dropView', 'posts_v', readsM)
    const createV = view('createView', 'posts_v', readsM)
    const ids = view('createView', 'posts_ids', 'SELECT id FROM public.posts')
    const h = (kind: 'addColumn' | 'dropColumn') =>
      changeOf(kind, {
        table: posts,
        column: col('h', 'bool', { generated: { expr: "m = 'ok'::mood", stored: true } }),
      })
    const addH = step(
      "ALTER TABLE public.posts ADD COLUMN h boolean GENERATED ALWAYS AS (m = 'ok'::mood) STORED",
      'posts',
      h('addColumn'),
    )
    const dropH = step('ALTER TABLE public.posts DROP COLUMN h', 'posts', h('dropColumn'))
    const steps = [dropV, dropH, ...recreation, addNn, validateNn, setNn, dropNn, addH, ids, createV]
    expect(runMembers(steps, breaks).has(dropV)).toBe(true)
    // On main the NOT NULL went after ADD COLUMN h, before the view made again (posts_v outside the run); with the view
    // counted, and tied to n by posts alone: error[SPLIT_RUN].
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropV,
      dropH,
      ...recreation,
      addNn,
      addH,
      ids,
      createV,
      validateNn,
      setNn,
      dropNn,
    ])
  })

  it('leaves a swap (no table converted) as it is', () => {
    const apart = dropApart('tags')
    const steps = [dropIdx, rename, apart, create, { ...convert, rewritesTable: false }, dropOld, createIdx]
    expect(keepRunsWhole(steps, breaks)).toBe(steps)
  })

  it('leaves a plan without a recreation as it is', () => {
    const apart = dropApart('tags')
    const steps = [dropIdx, apart, createIdx]
    expect(keepRunsWhole(steps, breaks)).toBe(steps)
  })
})
