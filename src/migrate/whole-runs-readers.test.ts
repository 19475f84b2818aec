import { describe, expect, it } from 'vitest'
import {
  breaks,
  columnChange,
  convert,
  create,
  createIdx,
  dropIdx,
  dropOld,
  keyToTags,
  mood,
  other,
  rename,
  step,
  tags,
} from '../../test/support/whole-runs-steps.js'
import type { Change } from '../diff/change.js'
import type { Step } from '../plan/step.js'
import { dependsOn, mustKeepOrder } from './step-ties.js'
import { keepRunsWhole, runMembers } from './whole-runs.js'

describe('keepRunsWhole, with what steps read by the model', () => {
  describe('a table dropped with a column of a recreated enum, and a concurrent drop on a table it references', () => {
    const orders = { schema: 'public', name: 'orders' }
    const posts = { schema: 'public', name: 'posts' }
    const state = { name: { schema: 'public', name: 'state' } }
    const recreateState = {
      kind: 'alterEnum',
      from: { ...state, values: ['p', 'r', 'q'] },
      to: { ...state, values: ['p', 'u', 's'] },
      usages: [],
    } as unknown as Change
    const ordersFk = (name: string) => ({
      name,
      columns: ['orders_id'],
      references: { table: orders, columns: ['id'] },
      onDelete: 'CASCADE',
      onUpdate: 'NO ACTION',
    })
    const lockOn = (...names: string[]) =>
      ({
        mode: 'ACCESS EXCLUSIVE',
        blocks: 'readsAndWrites',
        on: names.map((name) => ({ schema: 'public', name })),
      }) as const
    // The key of posts (the converted table) to orders, dropped in the run.
    const dropPostsFk = {
      ...step('ALTER TABLE public.posts DROP CONSTRAINT posts_orders_id_fkey', 'posts', {
        kind: 'dropForeignKey',
        table: posts,
        foreignKey: ordersFk('posts_orders_id_fkey'),
      } as unknown as Change),
      lock: lockOn('posts', 'orders'),
    }
    const ordersIndex = (unique: boolean, columns: string[]) =>
      step(
        `DROP INDEX CONCURRENTLY public.orders_f_idx`,
        'orders',
        {
          kind: 'dropIndex',
          table: orders,
          index: { name: 'orders_f_idx', parts: columns.map((column) => ({ column })), unique, include: [] },
        } as unknown as Change,
        false,
      )
    const dropOrdersIdx = ordersIndex(false, ['f'])
    const notes = {
      name: { schema: 'public', name: 'notes' },
      columns: [
        { name: 'id', type: { kind: 'integer', bytes: 8 }, nullable: false },
        { name: 'f', type: { kind: 'enum', enum: state.name }, nullable: true },
        { name: 'orders_id', type: { kind: 'integer', bytes: 8 }, nullable: true },
      ],
      uniques: [],
      indexes: [],
      foreignKeys: [ordersFk('notes_orders_id_fkey')],
      checks: [],
    }
    const dropNotes = {
      ...step('DROP TABLE public.notes', 'notes', { kind: 'dropTable', table: notes } as unknown as Change),
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
      rename,
      create,
      convert,
      dropOld,
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
    const tone = { name: { schema: 'public', name: 'tone' } }
    const addValue = step(
      "ALTER TYPE public.tone ADD VALUE 's' BEFORE 'p'",
      undefined,
      {
        kind: 'alterEnum',
        from: { ...tone, values: ['p'] },
        to: { ...tone, values: ['s', 'p'] },
        usages: [],
      } as unknown as Change,
      false,
    )
    // accounts has a column of mood (the run's: dropped before its recreation) and one of tone.
    const dropAccounts = step('DROP TABLE public.accounts', 'accounts', {
      kind: 'dropTable',
      table: {
        name: { schema: 'public', name: 'accounts' },
        columns: [
          { name: 'm', type: { kind: 'enum', enum: mood.name }, nullable: true },
          { name: 't', type: { kind: 'enum', enum: tone.name }, nullable: true },
        ],
        uniques: [],
        indexes: [],
        foreignKeys: [],
        checks: [],
      },
    } as unknown as Change)
    // The index made again uses the new value: it needs the ADD VALUE committed before it.
    const usesS = step(
      "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'ok' AND t = 's'::tone",
      'posts',
      other('createIndex', 'posts', 'posts_happy'),
    )
    const steps = [dropIdx, dropAccounts, addValue, rename, create, convert, dropOld, usesS]
    expect(runMembers(steps, breaks).has(dropAccounts)).toBe(true)
    // With the table's column of tone counted as a tie: error[SPLIT_RUN] (it needs the drop, the index needs it).
    expect(keepRunsWhole(steps, breaks)).toEqual([
      addValue,
      dropIdx,
      dropAccounts,
      rename,
      create,
      convert,
      dropOld,
      usesS,
    ])
  })

  it('does not tie a NOT NULL validated apart to a run by a key of another table to its table (seed 1038100368)', () => {
    const check = (kind: string) =>
      ({
        kind,
        table: { schema: 'public', name: 'posts' },
        check: { name: 'posts_ok', expr: "m <> 'ok'::mood" },
      }) as unknown as Change
    const dropCheck = step('ALTER TABLE public.posts DROP CONSTRAINT posts_ok', 'posts', check('dropCheck'))
    const addCheck = step(
      "ALTER TABLE public.posts ADD CONSTRAINT posts_ok CHECK (m <> 'ok'::mood)",
      'posts',
      check('addCheck'),
    )
    // n (not converted) retyped and made NOT NULL, validated apart.
    const retypeN = columnChange('n', true)
    const addNn = retypeN('ALTER TABLE public.posts ADD CONSTRAINT posts_n_keel_nn CHECK (n IS NOT NULL) NOT VALID')
    const validateNn = retypeN('ALTER TABLE public.posts VALIDATE CONSTRAINT posts_n_keel_nn', false)
    const setNn = retypeN('ALTER TABLE public.posts ALTER COLUMN n SET NOT NULL')
    // notes.posts_id references posts(id): the key's VALIDATE locks notes alone and reads posts' id and its key.
    const key = {
      kind: 'addForeignKey',
      table: { schema: 'public', name: 'notes' },
      foreignKey: {
        ...keyToTags('notes_posts_id_fkey'),
        references: { table: { schema: 'public', name: 'posts' }, columns: ['id'] },
      },
    } as unknown as Change
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
    const steps = [dropCheck, rename, create, convert, dropOld, addNn, validateNn, setNn, addFk, validateFk, addCheck]
    // On main: error[SPLIT_RUN]: the key reads posts by the model, so it tied n's VALIDATE (a change of posts) to the
    // check made again (another), though it reads neither n nor m.
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropCheck,
      rename,
      create,
      convert,
      dropOld,
      addNn,
      addFk,
      addCheck,
      validateFk,
      validateNn,
      setNn,
    ])
  })

  it('moves a NOT NULL validated apart past a trigger of the converted table made again, with the view over it', () => {
    const posts = { schema: 'public', name: 'posts' }
    const audit =
      "CREATE TRIGGER posts_audit BEFORE UPDATE ON public.posts FOR EACH ROW WHEN ((new.m = 'ok'::mood)) EXECUTE FUNCTION public.audit()"
    const postsTrigger = (kind: string) =>
      ({
        kind,
        trigger: { table: posts, name: 'posts_audit', definition: audit, function: { name: 'audit' }, columns: ['m'] },
      }) as unknown as Change
    const dropAudit = step('DROP TRIGGER posts_audit ON public.posts', 'posts', postsTrigger('dropTrigger'))
    const createAudit = step(audit, 'posts', postsTrigger('createTrigger'))
    // posts.a becomes a bigint NOT NULL, proven by a check validated apart.
    const a = {
      kind: 'alterColumn',
      table: posts,
      from: { name: 'a', nullable: true, type: { kind: 'integer', bytes: 4 } },
      to: { name: 'a', nullable: false, type: { kind: 'integer', bytes: 8 } },
    } as unknown as Change
    const [addA, validateA, setA] = [
      step('ALTER TABLE public.posts ADD CONSTRAINT posts_a_keel_nn CHECK (a IS NOT NULL) NOT VALID', 'posts', a),
      step('ALTER TABLE public.posts VALIDATE CONSTRAINT posts_a_keel_nn', 'posts', a, false),
      step('ALTER TABLE public.posts ALTER COLUMN a SET NOT NULL', 'posts', a),
    ]
    const view = { name: { schema: 'public', name: 'posts_a' }, definition: ' SELECT posts.a FROM posts;' }
    const createView = step('CREATE VIEW public.posts_a AS SELECT posts.a FROM posts', undefined, {
      kind: 'createView',
      view: { ...view, dependsOn: [posts], materialized: false, indexes: [] },
    } as unknown as Change)
    const steps = [dropAudit, dropIdx, rename, create, convert, dropOld, addA, validateA, setA, createIdx, createView]
    // On main: TypeError (the view beside the trigger read the trigger's change as having a table of its own).
    expect(keepRunsWhole([...steps, createAudit], breaks)).toEqual([
      dropAudit,
      dropIdx,
      rename,
      create,
      convert,
      dropOld,
      addA,
      createIdx,
      createAudit,
      validateA,
      setA,
      createView,
    ])
    // A foreign key to posts beside the trigger (keyBesideLocal) read it so too: TypeError.
    const toPosts = {
      name: 'notes_posts_fkey',
      columns: ['p'],
      references: { table: posts, columns: ['id'] },
      onDelete: 'NO ACTION',
      onUpdate: 'NO ACTION',
    }
    const validateKey = step('ALTER TABLE public.notes VALIDATE CONSTRAINT notes_posts_fkey', 'notes', {
      kind: 'addForeignKey',
      table: { schema: 'public', name: 'notes' },
      foreignKey: toPosts,
    } as unknown as Change)
    expect(mustKeepOrder(validateKey, createAudit)).toBe(false)
  })

  it('moves a column whose default draws from a sequence before the run with that sequence', () => {
    // The planner creates sequences after enums are altered, before the columns whose default calls nextval.
    const sequence = { kind: 'createSequence', sequence: { name: { schema: 'public', name: 'ledger_n_seq' } } }
    const createSeq = step('CREATE SEQUENCE public.ledger_n_seq', undefined, sequence as unknown as Change)
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
    const steps = [dropIdx, rename, create, convert, dropOld, createSeq, addColumn, build, createIdx]
    // On main the sequence's name in a string literal was no word: the column and the build went before the run
    // without it, and ADD COLUMN failed (42P01, relation "public.ledger_n_seq" does not exist).
    expect(keepRunsWhole(steps, breaks)).toEqual([
      createSeq,
      addColumn,
      build,
      dropIdx,
      rename,
      create,
      convert,
      dropOld,
      createIdx,
    ])
  })

  // What the recreation drops and makes again because it casts to the type, on a table it does not convert
  // (diff/enum-dependents.ts castReaders): a restrictive policy, a trigger's WHEN. Their SQL names nothing of mood, so
  // they stood outside the run: a concurrent drop between the policy's drop and the run split them, and a failed
  // conversion left the policy dropped (rows it hid visible) or the trigger gone.
  describe('a policy or a trigger on another table that casts to the recreated type', () => {
    const policy = (kind: string) =>
      ({
        kind,
        table: tags,
        policy: {
          name: 'tags_ok',
          restrictive: true,
          command: 'ALL',
          roles: ['PUBLIC'],
          using: "(s)::mood = 'ok'::mood",
        },
      }) as unknown as Change
    const dropPolicy = step('DROP POLICY tags_ok ON public.tags', 'tags', policy('dropPolicy'))
    const createPolicy = step(
      "CREATE POLICY tags_ok ON public.tags AS RESTRICTIVE USING ((s)::mood = 'ok'::mood)",
      'tags',
      policy('createPolicy'),
    )
    const definition =
      "CREATE TRIGGER tags_audit AFTER UPDATE ON public.tags FOR EACH ROW WHEN (((new.s)::mood = 'ok'::mood)) EXECUTE FUNCTION public.audit()"
    const trigger = (kind: string) =>
      ({
        kind,
        trigger: {
          table: tags,
          name: 'tags_audit',
          definition,
          function: { schema: 'public', name: 'audit' },
          columns: ['s'],
        },
      }) as unknown as Change
    const dropTrigger = step('DROP TRIGGER tags_audit ON public.tags', 'tags', trigger('dropTrigger'))
    const createTrigger = step(definition, 'tags', trigger('createTrigger'))
    const apartOn = (table: string) =>
      step(`DROP INDEX CONCURRENTLY public.${table}_old`, table, other('dropIndex', table, `${table}_old`), false)

    it('keeps the policy in the run: a concurrent drop on its table goes before it', () => {
      const apart = apartOn('tags')
      const steps = [dropPolicy, apart, dropIdx, rename, create, convert, dropOld, createIdx, createPolicy]
      expect([...runMembers(steps, breaks)]).toEqual(steps.filter((s) => s !== apart))
      // On main: the run began at dropIdx, and the plan was split between DROP POLICY and the conversion. Counted in
      // the run without untying the index from the policy (one lock on tags): error[SPLIT_RUN].
      expect(keepRunsWhole(steps, breaks)).toEqual([apart, ...steps.filter((s) => s !== apart)])
    })

    it('keeps the trigger in the run: a concurrent drop on another table goes before it', () => {
      const apart = apartOn('notes')
      const steps = [dropTrigger, apart, dropIdx, rename, create, convert, dropOld, createIdx, createTrigger]
      expect(runMembers(steps, breaks).has(dropTrigger)).toBe(true)
      expect(runMembers(steps, breaks).has(createTrigger)).toBe(true)
      expect(keepRunsWhole(steps, breaks)).toEqual([apart, ...steps.filter((s) => s !== apart)])
    })

    it('moves a NOT NULL validated apart on the table of the policy past the policy made again', () => {
      const notNull = {
        kind: 'alterColumn',
        table: tags,
        from: { name: 'k', nullable: true, type: { kind: 'integer', bytes: 4 } },
        to: { name: 'k', nullable: false, type: { kind: 'integer', bytes: 4 } },
      } as unknown as Change
      const [addK, validateK, setK] = [
        step('ALTER TABLE public.tags ADD CONSTRAINT tags_k_keel_nn CHECK (k IS NOT NULL) NOT VALID', 'tags', notNull),
        step('ALTER TABLE public.tags VALIDATE CONSTRAINT tags_k_keel_nn', 'tags', notNull, false),
        step('ALTER TABLE public.tags ALTER COLUMN k SET NOT NULL', 'tags', notNull),
      ]
      const steps = [
        dropPolicy,
        dropIdx,
        rename,
        create,
        convert,
        dropOld,
        addK,
        validateK,
        setK,
        createIdx,
        createPolicy,
      ]
      // With the policy's change not counted a local one, the table tied it to the VALIDATE: error[SPLIT_RUN].
      expect(keepRunsWhole(steps, breaks)).toEqual([
        dropPolicy,
        dropIdx,
        rename,
        create,
        convert,
        dropOld,
        addK,
        createIdx,
        createPolicy,
        validateK,
        setK,
      ])
    })

    it('still ties an index to a policy or a trigger of its table that names it', () => {
      const named = step('DROP INDEX CONCURRENTLY public.tags_ok', 'tags', other('dropIndex', 'tags', 'tags_ok'), false)
      expect(dependsOn(named, dropPolicy)).toBe(true)
      expect(dependsOn(apartOn('tags'), dropPolicy)).toBe(false)
      expect(dependsOn(apartOn('tags'), createTrigger)).toBe(false)
    })
  })
})
