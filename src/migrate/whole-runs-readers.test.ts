import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import {
  addPostsOk,
  breaks,
  createIdx,
  dropIdx,
  dropPostsOk,
  mood,
  notNullOfPosts,
  other,
  posts,
  recreation,
  step,
} from '../../test/support/whole-runs-steps.js'
import type { Step } from '../plan/step.js'
import { col, enumOf, enumRef, fk, index, nameOf, sequenceOf, tableOf } from '../schema/build.js'
import { dependsOn } from './step-ties.js'
import { keepRunsWhole, runMembers } from './whole-runs.js'

describe('keepRunsWhole, with what steps read by the model', () => {
  // The round trip's pair (seed 896117121, path "45"): mood recreated in place (posts converted), state recreated with
  // no column left (notes, whose f is a state, is dropped), and a concurrent drop of an index on orders, which notes
  // and the dropped key of posts reference. The lock on orders tied the drop to DROP TABLE notes, which named nothing
  // of state, so the two went after the run together: DROP TABLE notes ran after DROP TYPE state_keel_old (2BP01).
  describe('a table dropped with a column of a recreated enum, and a concurrent drop on a table it references', () => {
    const orders = nameOf('public.orders')
    const state = enumOf('public.state', ['p', 'r', 'q'])
    const recreateState = changeOf('alterEnum', { from: state, to: enumOf(state.name, ['p', 'u', 's']), usages: [] })
    const ordersFk = (name: string) => fk(name, ['orders_id'], orders, ['id'], { onDelete: 'CASCADE' })
    const lockOn = (...names: string[]) =>
      ({
        mode: 'ACCESS EXCLUSIVE',
        blocks: 'readsAndWrites',
        on: names.map((name) => ({ schema: 'public', name })),
      }) as const
    // The key of posts (the converted table) to orders, dropped in the run.
    const dropPostsFk = {
      ...step(
        'ALTER TABLE public.posts DROP CONSTRAINT posts_orders_id_fkey',
        'posts',
        changeOf('dropForeignKey', { table: posts, foreignKey: ordersFk('posts_orders_id_fkey') }),
      ),
      lock: lockOn('posts', 'orders'),
    }
    const ordersIndex = (unique: boolean, columns: string[]) =>
      step(
        `DROP INDEX CONCURRENTLY public.orders_f_idx`,
        'orders',
        changeOf('dropIndex', { table: orders, index: index('orders_f_idx', columns, { unique }) }),
        false,
      )
    const dropOrdersIdx = ordersIndex(false, ['f'])
    const notes = tableOf(
      'public.notes',
      [col('id', 'int8', { nullable: false }), col('f', enumRef(state.name)), col('orders_id', 'int8')],
      { foreignKeys: [ordersFk('notes_orders_id_fkey')] },
    )
    const dropNotes = {
      ...step('DROP TABLE public.notes', 'notes', changeOf('dropTable', { table: notes })),
      lock: lockOn('notes', 'orders'),
    }
    const renameState = step('ALTER TYPE public.state RENAME TO state_keel_old', undefined, recreateState)
    const createState = step("CREATE TYPE public.state AS ENUM ('p', 'u', 's')", undefined, recreateState)
    const dropOldState = step('DROP TYPE public.state_keel_old', undefined, recreateState)
    const steps = [
      dropPostsFk,
      dropIdx,
      dropOrdersIdx,
      dropNotes,
      ...recreation,
      renameState,
      createState,
      dropOldState,
      createIdx,
    ]

    it('moves the concurrent drop before the run and keeps the table drop before the old type is dropped', () => {
      const out = keepRunsWhole(steps, breaks)
      // On main: the concurrent drop and DROP TABLE notes went after createIdx, past DROP TYPE state_keel_old.
      expect(out.indexOf(dropNotes)).toBeLessThan(out.indexOf(dropOldState))
      expect(out).toEqual([dropOrdersIdx, ...steps.filter((s) => s !== dropOrdersIdx)])
    })

    it('ties a table drop to the recreation of the type of one of its columns', () => {
      expect(dependsOn(dropNotes, dropOldState)).toBe(true)
      expect(dependsOn(dropOldState, dropNotes)).toBe(true)
    })

    it('does not tie an index to a key that only references its table, unless the key can use it', () => {
      expect(dependsOn(dropOrdersIdx, dropNotes)).toBe(false)
      expect(dependsOn(dropPostsFk, dropOrdersIdx)).toBe(false)
      // A unique index over exactly the referenced columns may be the one the key uses: it keeps its order.
      const keyIndex = ordersIndex(true, ['id'])
      expect(dependsOn(keyIndex, dropNotes)).toBe(true)
      expect(dependsOn(dropPostsFk, keyIndex)).toBe(true)
      // A unique index over other columns is not.
      expect(dependsOn(ordersIndex(true, ['f']), dropNotes)).toBe(false)
    })
  })

  it('does not tie an ADD VALUE to a dropped table that reads its type (fc.sample, seed 42, pair 2312)', () => {
    const tone = enumOf('public.tone', ['p'])
    const addValue = step(
      "ALTER TYPE public.tone ADD VALUE 's' BEFORE 'p'",
      undefined,
      changeOf('alterEnum', { from: tone, to: enumOf(tone.name, ['s', 'p']), usages: [] }),
      false,
    )
    // accounts has a column of mood (the run's: dropped before its recreation) and one of tone.
    const accounts = tableOf('public.accounts', [col('m', enumRef(mood.name)), col('t', enumRef(tone.name))])
    const dropAccounts = step('DROP TABLE public.accounts', 'accounts', changeOf('dropTable', { table: accounts }))
    // The index made again uses the new value: it needs the ADD VALUE committed before it.
    const usesS = step(
      "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'ok' AND t = 's'::tone",
      'posts',
      other('createIndex', 'posts', 'posts_happy'),
    )
    const steps = [dropIdx, dropAccounts, addValue, ...recreation, usesS]
    expect(runMembers(steps, breaks).has(dropAccounts)).toBe(true)
    // With the table's column of tone counted as a tie: error[SPLIT_RUN] (it needs the drop, the index needs it).
    expect(keepRunsWhole(steps, breaks)).toEqual([addValue, dropIdx, dropAccounts, ...recreation, usesS])
  })

  it('does not tie a NOT NULL validated apart to a run by a key of another table to its table (seed 1038100368)', () => {
    const [dropCheck, addCheck] = [dropPostsOk, addPostsOk]
    // n (not converted) retyped and made NOT NULL, validated apart.
    const { add: addNn, validate: validateNn, set: setNn } = notNullOfPosts('n', true)
    // notes.posts_id references posts(id): the key's VALIDATE locks notes alone and reads posts' id and its key.
    const key = changeOf('addForeignKey', {
      table: nameOf('public.notes'),
      foreignKey: fk('notes_posts_id_fkey', ['t'], posts, ['id']),
    })
    const addFk = {
      ...step(
        'ALTER TABLE public.notes ADD CONSTRAINT notes_posts_id_fkey FOREIGN KEY (t) REFERENCES public.posts (id) NOT VALID',
        'notes',
        key,
      ),
      lock: {
        mode: 'SHARE ROW EXCLUSIVE',
        blocks: 'writes',
        on: [
          { schema: 'public', name: 'notes' },
          { schema: 'public', name: 'posts' },
        ],
      },
    } as Step
    const validateFk = step('ALTER TABLE public.notes VALIDATE CONSTRAINT notes_posts_id_fkey', 'notes', key, false)
    const steps = [dropCheck, ...recreation, addNn, validateNn, setNn, addFk, validateFk, addCheck]
    // On main: error[SPLIT_RUN]: the key reads posts by the model, so it tied n's VALIDATE (a change of posts) to the
    // check made again (another), though it reads neither n nor m.
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropCheck,
      ...recreation,
      addNn,
      addFk,
      addCheck,
      validateFk,
      validateNn,
      setNn,
    ])
  })

  it('moves a column whose default draws from a sequence before the run with that sequence', () => {
    // The planner creates sequences after enums are altered, before the columns whose default calls nextval.
    const sequence = changeOf('createSequence', { sequence: sequenceOf('public.ledger_n_seq') })
    const createSeq = step('CREATE SEQUENCE public.ledger_n_seq', undefined, sequence)
    const addColumn = step(
      "ALTER TABLE public.ledger ADD COLUMN n bigint DEFAULT nextval('public.ledger_n_seq'::regclass)",
      'ledger',
      other('addColumn', 'ledger', 'n'),
    )
    const build = step(
      'CREATE INDEX CONCURRENTLY ledger_n_idx ON public.ledger (n)',
      'ledger',
      other('createIndex', 'ledger', 'ledger_n_idx'),
      false,
    )
    const steps = [dropIdx, ...recreation, createSeq, addColumn, build, createIdx]
    // On main the sequence's name in a string literal was no word: the column and the build went before the run
    // without it, and ADD COLUMN failed (42P01, relation "public.ledger_n_seq" does not exist).
    expect(keepRunsWhole(steps, breaks)).toEqual([createSeq, addColumn, build, dropIdx, ...recreation, createIdx])
  })
})
