import { describe, expect, it } from 'vitest'
import type { Change } from '../diff/change.js'
import { KeelError } from '../errors.js'
import type { Step } from '../plan/step.js'
import { dependsOn, keepRunsWhole, runMembers } from './whole-runs.js'

const mood = { name: { schema: 'public', name: 'mood' } }
const recreate = {
  kind: 'alterEnum',
  from: { ...mood, values: ['sad', 'ok'] },
  to: { ...mood, values: ['ok'] },
  usages: [{ table: { schema: 'public', name: 'posts' }, column: { name: 'm' } }],
} as unknown as Change
const tags = { schema: 'public', name: 'tags' }
/** A foreign key to tags (the key a unique index over `columns` of tags serves). */
const keyToTags = (name: string, columns = ['id']) => ({
  name,
  columns: ['t'],
  references: { table: tags, columns },
  onDelete: 'NO ACTION' as const,
  onUpdate: 'NO ACTION' as const,
})
/** A change of one object of a table as the model has it: an index over id, a check, an integer column, a key to tags. */
const other = (kind: string, table: string, name: string) => {
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
const keyIndex = (column: string) =>
  ({
    kind: 'createIndex',
    table: tags,
    index: { name: 'tags_key', parts: [{ column }], unique: true, include: [] },
  }) as unknown as Change

const step = (sql: string, table: string | undefined, source: Change, transactional = true): Step => ({
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
const dropIdx = step('DROP INDEX public.posts_happy', 'posts', other('dropIndex', 'posts', 'posts_happy'))
const rename = step('ALTER TYPE public.mood RENAME TO mood_keel_old', undefined, recreate)
const create = step("CREATE TYPE public.mood AS ENUM ('ok')", undefined, recreate)
const convert = {
  ...step('ALTER TABLE public.posts ALTER COLUMN m TYPE public.mood USING m::text::public.mood', 'posts', recreate),
  rewritesTable: true,
}
const dropOld = step('DROP TYPE public.mood_keel_old', undefined, recreate)
const createIdx = step(
  "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'ok'",
  'posts',
  other('createIndex', 'posts', 'posts_happy'),
)
const breaks = (s: Step) => !s.transactional || /\bVALIDATE\b/.test(s.sql)

describe('keepRunsWhole', () => {
  it('moves a concurrent drop on another table out of the run, before it', () => {
    const apart = step('DROP INDEX CONCURRENTLY public.tags_old', 'tags', other('dropIndex', 'tags', 'tags_old'), false)
    const out = keepRunsWhole([dropIdx, apart, rename, create, convert, dropOld, createIdx], breaks)
    expect(out).toEqual([apart, dropIdx, rename, create, convert, dropOld, createIdx])
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
      ...step('ALTER TABLE public.notes ADD CONSTRAINT notes_fk FOREIGN KEY (t) REFERENCES public.tags (m)', 'notes', {
        kind: 'addForeignKey',
        table: { schema: 'public', name: 'notes' },
        foreignKey: keyToTags('notes_fk', ['m']),
      }),
      lock: { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [{ name: 'notes' }, { name: 'tags' }] },
    } as Step
    const fnFirst = {
      ...fn,
      source: { kind: 'createRoutine', routine: { name: { name: 'is_ok' }, dependsOn: [] } } as unknown as Change,
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
    expect(() => keepRunsWhole([dropIdx, validate, rename, create, convert, dropOld, createIdx], breaks)).toThrow(
      KeelError,
    )
    try {
      keepRunsWhole([dropIdx, validate, rename, create, convert, dropOld, createIdx], breaks)
    } catch (error) {
      expect((error as KeelError).code).toBe('SPLIT_RUN')
      expect((error as Error).message).toContain('VALIDATE CONSTRAINT posts_check')
    }
  })

  // The round trip's pair (seed -1960771233, path "11"): a column of the converted table made NOT NULL after the
  // recreation, by a check validated apart, and a new index over the converted column after that.
  // One change of a column, its steps sharing it as the planner's do; `retyped`: its type changes too.
  const columnChange = (column: string, retyped = false) => {
    const source = {
      kind: 'alterColumn',
      table: { schema: 'public', name: 'posts' },
      from: { name: column, nullable: true, type: { kind: 'integer', bytes: 2 } },
      to: { name: column, nullable: false, type: { kind: 'integer', bytes: retyped ? 4 : 2 } },
    } as unknown as Change
    return (sql: string, transactional = true) => step(sql, 'posts', source, transactional)
  }
  const notNullOfN = columnChange('n')
  const addNn = notNullOfN('ALTER TABLE public.posts ADD CONSTRAINT posts_n_keel_nn CHECK (n IS NOT NULL) NOT VALID')
  const validateNn = notNullOfN('ALTER TABLE public.posts VALIDATE CONSTRAINT posts_n_keel_nn', false)
  const setNn = notNullOfN('ALTER TABLE public.posts ALTER COLUMN n SET NOT NULL')
  const dropNn = notNullOfN('ALTER TABLE public.posts DROP CONSTRAINT posts_n_keel_nn')

  it('leaves a VALIDATE on the converted table after the recreation where it is: the run ends before it', () => {
    const newIdx = step(
      "CREATE INDEX posts_ok ON public.posts (id) WHERE m = 'ok'::mood",
      'posts',
      other('createIndex', 'posts', 'posts_ok'),
    )
    const steps = [rename, create, convert, dropOld, addNn, validateNn, setNn, dropNn, newIdx]
    // On main: error[SPLIT_RUN] (the table, and the type's name in the index, tied the later steps to the run).
    expect(keepRunsWhole(steps, breaks)).toEqual(steps)
  })

  it('moves a VALIDATE after the recreation past what the run makes again, with what reads its column', () => {
    const column = (kind: string, name: string, sql: string, expr?: string) =>
      step(sql, 'posts', {
        kind,
        table: { schema: 'public', name: 'posts' },
        column: { name, type: { kind: 'integer', bytes: 8 }, ...(expr ? { generated: { expr, stored: true } } : {}) },
      } as unknown as Change)
    // n is retyped and made NOT NULL; g reads n (not converted): dropped for n, made again after it; h reads m
    // (converted): the run's, with the index over h.
    const retypeN = columnChange('n', true)
    const [addNn, validateNn, setNn, dropNn] = [
      retypeN('ALTER TABLE public.posts ADD CONSTRAINT posts_n_keel_nn CHECK (n IS NOT NULL) NOT VALID'),
      retypeN('ALTER TABLE public.posts VALIDATE CONSTRAINT posts_n_keel_nn', false),
      retypeN('ALTER TABLE public.posts ALTER COLUMN n SET NOT NULL'),
      retypeN('ALTER TABLE public.posts DROP CONSTRAINT posts_n_keel_nn'),
    ]
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
    const pk = step('ALTER TABLE public.posts ADD CONSTRAINT posts_pkey PRIMARY KEY USING INDEX posts_pkey', 'posts', {
      kind: 'addPrimaryKey',
      table: { schema: 'public', name: 'posts' },
      primaryKey: { name: 'posts_pkey', columns: ['id'] },
    } as unknown as Change)
    const steps = [
      dropHIdx,
      dropG,
      dropH,
      rename,
      create,
      convert,
      dropOld,
      addNn,
      validateNn,
      setNn,
      dropNn,
      addG,
      addH,
      pk,
      hIdx,
    ]
    // On main: error[SPLIT_RUN] (it needs the conversion before it, and the run's ADD COLUMN h needs it by the table).
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropHIdx,
      dropG,
      dropH,
      rename,
      create,
      convert,
      dropOld,
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
    const mNn = columnChange('m')
    const check = (kind: string) =>
      ({
        kind,
        table: { schema: 'public', name: 'posts' },
        check: { name: 'posts_ok', expr: "m <> 'ok'::mood" },
      }) as unknown as Change
    const dropCheck = step('ALTER TABLE public.posts DROP CONSTRAINT posts_ok', 'posts', check('dropCheck'))
    const addM = mNn('ALTER TABLE public.posts ADD CONSTRAINT posts_m_keel_nn CHECK (m IS NOT NULL) NOT VALID')
    const validateM = mNn('ALTER TABLE public.posts VALIDATE CONSTRAINT posts_m_keel_nn', false)
    const setM = mNn('ALTER TABLE public.posts ALTER COLUMN m SET NOT NULL')
    const addCheck = step(
      "ALTER TABLE public.posts ADD CONSTRAINT posts_ok CHECK (m <> 'ok'::mood)",
      'posts',
      check('addCheck'),
    )
    const steps = [dropCheck, rename, create, convert, dropOld, addM, validateM, setM, addCheck]
    // On main: error[SPLIT_RUN] (the check names m, and the table ties them both ways).
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropCheck,
      rename,
      create,
      convert,
      dropOld,
      addM,
      addCheck,
      validateM,
      setM,
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

  it('moves the NOT NULL and default of a converted column past an index made again over it', () => {
    // Round trip, seed 24, path "67": the change of m is of its NOT NULL and its default, which no reader sees.
    const source = {
      kind: 'alterColumn',
      table: { schema: 'public', name: 'posts' },
      from: { name: 'm', nullable: true, type: { kind: 'enum', enum: mood.name } },
      to: {
        name: 'm',
        nullable: false,
        type: { kind: 'enum', enum: mood.name },
        default: { kind: 'sql', sql: "'ok'::mood" },
      },
    } as unknown as Change
    const [addM, validateM, setM, defaultM] = [
      step('ALTER TABLE public.posts ADD CONSTRAINT posts_m_keel_nn CHECK (m IS NOT NULL) NOT VALID', 'posts', source),
      step('ALTER TABLE public.posts VALIDATE CONSTRAINT posts_m_keel_nn', 'posts', source, false),
      step('ALTER TABLE public.posts ALTER COLUMN m SET NOT NULL', 'posts', source),
      step("ALTER TABLE public.posts ALTER COLUMN m SET DEFAULT 'ok'::mood", 'posts', source),
    ]
    const steps = [dropIdx, rename, create, convert, dropOld, addM, validateM, setM, defaultM, createIdx]
    // On 13af4ce: error[SPLIT_RUN] (the default made the change one that posts_happy, naming m, reads).
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropIdx,
      rename,
      create,
      convert,
      dropOld,
      addM,
      createIdx,
      validateM,
      setM,
      defaultM,
    ])
  })

  it('moves a unique key built apart on the converted table past a check made again over its column', () => {
    // Round trip, seed 1998470238, path "24": the key over m is a change of m's readers, not of m.
    const unique = {
      kind: 'addUnique',
      table: { schema: 'public', name: 'posts' },
      unique: { name: 'posts_m_key', columns: ['m'] },
    } as unknown as Change
    const build = step('CREATE UNIQUE INDEX CONCURRENTLY posts_m_key ON public.posts (m)', 'posts', unique, false)
    const attach = step(
      'ALTER TABLE public.posts ADD CONSTRAINT posts_m_key UNIQUE USING INDEX posts_m_key',
      'posts',
      unique,
    )
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
    const steps = [dropCheck, rename, create, convert, dropOld, build, attach, addCheck]
    // On 146d53f: error[SPLIT_RUN] (the key's column m tied it to the check that names m).
    expect(keepRunsWhole(steps, breaks)).toEqual([dropCheck, rename, create, convert, dropOld, addCheck, build, attach])
  })

  // The round trip's pair (seed 896117121, path "45"): mood recreated in place (posts converted), state recreated with
  // no column left (notes, whose f is a state, is dropped), and a concurrent drop of an index on orders, which notes
  // and the dropped key of posts reference. The lock on orders tied the drop to DROP TABLE notes, which named nothing
  // of state, so the two went after the run together: DROP TABLE notes ran after DROP TYPE state_keel_old (2BP01).
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

  it('counts a view over a converted column in the run, and moves a NOT NULL past a view that does not read it', () => {
    // Round trip, seed 896117121, path "240": posts_v reads m through a cast to the type (its DROP names neither), so
    // it is the run's, and its CREATE after; posts_ids reads posts but not n, whose NOT NULL is validated apart.
    const view = (kind: string, name: string, definition: string) =>
      step(
        kind === 'dropView' ? `DROP VIEW public.${name}` : `CREATE VIEW public.${name} AS ${definition}`,
        undefined,
        {
          kind,
          view: { name: { schema: 'public', name }, definition, dependsOn: [{ schema: 'public', name: 'posts' }] },
        } as unknown as Change,
      )
    const readsM = "SELECT id, m FROM public.posts WHERE m <> 'ok'::mood"
    const dropV = view('dropView', 'posts_v', readsM)
    const createV = view('createView', 'posts_v', readsM)
    const ids = view('createView', 'posts_ids', 'SELECT id FROM public.posts')
    const addH = step(
      "ALTER TABLE public.posts ADD COLUMN h boolean GENERATED ALWAYS AS (m = 'ok'::mood) STORED",
      'posts',
      {
        kind: 'addColumn',
        table: { schema: 'public', name: 'posts' },
        column: { name: 'h', type: { kind: 'boolean' }, generated: { expr: "m = 'ok'::mood", stored: true } },
      } as unknown as Change,
    )
    const dropH = step('ALTER TABLE public.posts DROP COLUMN h', 'posts', {
      ...addH.source,
      kind: 'dropColumn',
    } as Change)
    const steps = [dropV, dropH, rename, create, convert, dropOld, addNn, validateNn, setNn, dropNn, addH, ids, createV]
    expect(runMembers(steps, breaks).has(dropV)).toBe(true)
    // On main the NOT NULL went after ADD COLUMN h, before the view made again (posts_v outside the run); with the view
    // counted, and tied to n by posts alone: error[SPLIT_RUN].
    expect(keepRunsWhole(steps, breaks)).toEqual([
      dropV,
      dropH,
      rename,
      create,
      convert,
      dropOld,
      addNn,
      addH,
      ids,
      createV,
      validateNn,
      setNn,
      dropNn,
    ])
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

  it('leaves a swap (no table converted) as it is', () => {
    const apart = step('DROP INDEX CONCURRENTLY public.tags_old', 'tags', other('dropIndex', 'tags', 'tags_old'), false)
    const steps = [dropIdx, rename, apart, create, { ...convert, rewritesTable: false }, dropOld, createIdx]
    expect(keepRunsWhole(steps, breaks)).toBe(steps)
  })

  it('leaves a plan without a recreation as it is', () => {
    const apart = step('DROP INDEX CONCURRENTLY public.tags_old', 'tags', other('dropIndex', 'tags', 'tags_old'), false)
    const steps = [dropIdx, apart, createIdx]
    expect(keepRunsWhole(steps, breaks)).toBe(steps)
  })
})
