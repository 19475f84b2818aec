import { beforeAll, describe, expect, it } from 'vitest'
import { phasesDialect as dialect, outline, users } from '../../test/support/phases-plan.js'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { col, index, pk, schemaOf, viewOf } from '../schema/build.js'
import type { Column, Table } from '../schema/model.js'
import { planPhases } from './phases.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => postgresPhaseSql.prepare())

describe('planPhases: what reads a swapped column', () => {
  it('drops and adds a generated column again only at contract, with the retype of the column it reads', () => {
    const total = (type: 'int4' | 'int8') => [
      col('price', type, { nullable: false }),
      col('total', 'int8', { generated: { expr: 'price * 2', stored: true } }),
      col('legacy', 'text'),
    ]
    const from = schemaOf({ tables: [users(total('int4'))] })
    const to = schemaOf({ tables: [users(total('int8').filter((c) => c.name !== 'legacy'))] })
    // Swapping price in would fail (total reads it), and dropping total loses what the running release reads.
    expect(outline(planPhases(from, to, [], dialect))).toEqual([
      'contract: ALTER TABLE public.users DROP COLUMN total',
      'contract: ALTER TABLE public.users DROP COLUMN legacy',
      'contract: ALTER TABLE public.users ALTER COLUMN price TYPE bigint',
      'contract: ALTER TABLE public.users ADD COLUMN total bigint GENERATED ALWAYS AS (price * 2) STORED',
    ])
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.find((s) => s.sql.includes('ALTER COLUMN price TYPE'))?.noOnlineForm).toMatch(
      /^stored generated column total reads public\.users\.price: PostgreSQL refuses to change its type/,
    )
  })

  it('changes the type of a column in a deferrable key or an exclusion constraint in place at contract, saying why', () => {
    const deferrable = (type: 'int4' | 'int8') =>
      users([col('pos', type)], {
        uniques: [{ name: 'users_pos_key', columns: ['pos'], deferrable: { initiallyDeferred: true } }],
      })
    const keyed = planPhases(
      schemaOf({ tables: [deferrable('int4')] }),
      schemaOf({ tables: [deferrable('int8')] }),
      [],
      dialect,
    )
    expect(keyed?.steps.filter((s) => s.rewritesTable).map((s) => [s.phase, s.sql, s.noOnlineForm])).toEqual([
      [
        'contract',
        'ALTER TABLE public.users ALTER COLUMN pos TYPE bigint',
        expect.stringMatching(/^public\.users\.pos is in deferrable key users_pos_key: a unique index built beside it/),
      ],
    ])
    const excluded = (type: 'int4' | 'int8') =>
      users([col('room', type)], {
        exclusions: [{ name: 'users_room_excl', definition: 'EXCLUDE USING btree (room WITH =)' }],
      })
    const plan = planPhases(
      schemaOf({ tables: [excluded('int4')] }),
      schemaOf({ tables: [excluded('int8')] }),
      [],
      dialect,
    )
    expect(plan?.steps.filter((s) => s.rewritesTable).map((s) => s.noOnlineForm)).toEqual([
      expect.stringMatching(/^public\.users\.room is in exclusion constraint users_room_excl/),
    ])
  })

  it('swaps a retyped column whose generated reader the schema drops: the reader goes just before the swap', () => {
    const from = schemaOf({
      tables: [
        users([col('price', 'int4'), col('total', 'int8', { generated: { expr: 'price * 2', stored: true } })], {
          indexes: [index('users_total_idx', ['total'])],
        }),
      ],
    })
    const to = schemaOf({ tables: [users([col('price', 'int8')])] })
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.filter((s) => s.rewritesTable)).toEqual([])
    expect(outline(plan)?.filter((s) => s.startsWith('contract:') && !s.includes('keel_sync'))).toEqual([
      // Its index goes with it.
      'contract: ALTER TABLE public.users DROP COLUMN total',
      'contract: ALTER TABLE public.users DROP COLUMN price',
      'contract: ALTER TABLE public.users RENAME COLUMN price_keel_new TO price',
    ])
  })

  it('adds a new generated column that reads a swapped column at contract, after the swap, with its index', () => {
    const from = schemaOf({ tables: [users([col('price', 'int4')])] })
    const to = schemaOf({
      tables: [
        users([col('price', 'int8'), col('total', 'int8', { generated: { expr: 'price * 2', stored: true } })], {
          indexes: [index('users_total_idx', ['total'])],
        }),
      ],
    })
    expect(outline(planPhases(from, to, [], dialect))?.filter((s) => !s.includes('keel_sync'))).toEqual([
      'expand: ALTER TABLE public.users ADD COLUMN price_keel_new bigint',
      'backfill: UPDATE public.users SET price_keel_new = (price::bigint) WHERE price_keel_new IS NULL',
      'contract: ALTER TABLE public.users DROP COLUMN price',
      'contract: ALTER TABLE public.users RENAME COLUMN price_keel_new TO price',
      'contract: ALTER TABLE public.users ADD COLUMN total bigint GENERATED ALWAYS AS (price * 2) STORED',
      'contract: CREATE INDEX CONCURRENTLY users_total_idx ON public.users (total)',
    ])
  })

  it('swaps a retyped column that views read: they are dropped just before the swap and created again after it', () => {
    const views = [
      viewOf('public.users_v', 'SELECT id, age FROM public.users', ['public.users']),
      viewOf('public.users_vv', 'SELECT age FROM public.users_v', ['public.users_v']),
    ]
    const from = schemaOf({ tables: [users([col('age', 'int4')])], views })
    const to = schemaOf({ tables: [users([col('age', 'int8')])], views })
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.some((s) => s.rewritesTable)).toBe(false)
    expect(outline(plan)?.filter((s) => s.startsWith('contract:') && !s.includes('keel_sync'))).toEqual([
      'contract: DROP VIEW public.users_vv',
      'contract: DROP VIEW public.users_v',
      'contract: ALTER TABLE public.users DROP COLUMN age',
      'contract: ALTER TABLE public.users RENAME COLUMN age_keel_new TO age',
      'contract: CREATE VIEW public.users_v AS',
      'contract: CREATE VIEW public.users_vv AS',
    ])
  })

  it('swaps a retyped column with a check and an expression index: the contract builds them again after the swap', () => {
    const extras = (): Partial<Table> => ({
      checks: [{ name: 'users_age_check', expr: 'age > 0' }],
      indexes: [index('users_twice_idx', [{ expr: 'age * 2' }])],
    })
    const from = schemaOf({
      tables: [users([col('age', 'int4')], { primaryKey: pk('users_pkey', ['id']), ...extras() })],
    })
    const to = schemaOf({
      tables: [users([col('age', 'int8')], { primaryKey: pk('users_pkey', ['id']), ...extras() })],
    })
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.some((s) => s.rewritesTable)).toBe(false)
    const contract = outline(plan)?.filter((s) => s.startsWith('contract:') && !s.includes('keel_sync')) ?? []
    expect(contract).toEqual([
      'contract: ALTER TABLE public.users DROP COLUMN age',
      'contract: ALTER TABLE public.users RENAME COLUMN age_keel_new TO age',
      'contract: ALTER TABLE public.users ADD CONSTRAINT users_age_check CHECK (age > 0) NOT VALID',
      'contract: ALTER TABLE public.users VALIDATE CONSTRAINT users_age_check',
      'contract: CREATE INDEX CONCURRENTLY users_twice_idx ON public.users ((age * 2))',
    ])
  })

  it('brings the views, the checks (NOT VALID) and NOT NULL back in the swap’s transaction, before any commit', () => {
    const extras = (): Partial<Table> => ({
      checks: [{ name: 'users_age_check', expr: 'age > 0' }],
      indexes: [index('users_age_idx', [{ expr: 'age * 2' }])],
    })
    const views = [
      viewOf('public.adults', 'SELECT u.id, u.age FROM public.users u WHERE u.age >= 18', ['public.users']),
    ]
    const from = schemaOf({ tables: [users([col('age', 'int4', { nullable: false })], extras())], views })
    const to = schemaOf({ tables: [users([col('age', 'int8', { nullable: false })], extras())], views })
    const plan = planPhases(from, to, [], dialect)
    const contract = plan?.steps.filter((s) => s.phase === 'contract') ?? []
    // What runs before the first step that commits apart is the swap's one transaction.
    const firstCommit = contract.findIndex((s) => !s.transactional)
    expect(contract.slice(0, firstCommit).map((s) => s.sql.split('\n')[0])).toEqual([
      'DROP TRIGGER IF EXISTS users_keel_sync ON public.users',
      'DROP FUNCTION IF EXISTS public.users_keel_sync()',
      'DROP VIEW public.adults',
      'ALTER TABLE public.users DROP COLUMN age',
      'ALTER TABLE public.users RENAME COLUMN age_keel_new TO age',
      'ALTER TABLE public.users ADD CONSTRAINT users_age_keel_nn CHECK (age IS NOT NULL) NOT VALID',
      'ALTER TABLE public.users ADD CONSTRAINT users_age_check CHECK (age > 0) NOT VALID',
      'CREATE VIEW public.adults AS',
    ])
    expect(contract.slice(firstCommit).map((s) => s.sql.split('\n')[0])).toEqual([
      'ALTER TABLE public.users VALIDATE CONSTRAINT users_age_keel_nn',
      'ALTER TABLE public.users ALTER COLUMN age SET NOT NULL',
      'ALTER TABLE public.users DROP CONSTRAINT users_age_keel_nn',
      'ALTER TABLE public.users VALIDATE CONSTRAINT users_age_check',
      'CREATE INDEX CONCURRENTLY users_age_idx ON public.users ((age * 2))',
    ])
  })
})

describe('planPhases: a renamed stored generated column', () => {
  const n = (type: 'int4' | 'int8') => col('n', type)
  const doubled = (name: string, extra: Partial<Column> = {}) =>
    ({ ...col(name, 'int8', { generated: { expr: 'n * 2', stored: true } }), ...extra }) as Column
  const from = schemaOf({ tables: [users([n('int4'), doubled('g')])] })

  // Adding it computes every row under ACCESS EXCLUSIVE, in the expand or, when it reads a swapped column, at the
  // contract: either way the plan says so (generate refuses it unless accepted).
  it.each([
    ['alone', 'expand', 'int4'],
    ['over a column whose type changes', 'contract', 'int8'],
  ] as const)('says it has no online form when it is added, %s', (_, phase, type) => {
    const to = schemaOf({ tables: [users([n(type), doubled('h', { renamedFrom: 'g' })])] })
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.filter((s) => s.rewritesTable).map((s) => [s.phase, s.sql, s.noOnlineForm])).toEqual([
      [
        phase,
        'ALTER TABLE public.users ADD COLUMN h bigint GENERATED ALWAYS AS (n * 2) STORED',
        expect.stringMatching(/^PostgreSQL computes stored generated column public\.users\.h for every row/),
      ],
    ])
  })

  // Its old name's values are computed again in the new one: its drop loses nothing, and undoing it adds it back,
  // computed (an UPDATE of it is refused: column can only be updated to DEFAULT).
  it.each([
    ['to a generated one', doubled('h', { renamedFrom: 'g' }), 'int4'],
    // Dropped just before the swap, which it would refuse (TableExpansion.droppedReaders).
    ['to a generated one over a swapped column', doubled('h', { renamedFrom: 'g' }), 'int8'],
    ['to a plain one', { ...col('h', 'int8'), renamedFrom: 'g' } as Column, 'int4'],
  ] as const)(
    'drops the old name at contract without loss, and undoes it without writing it, renamed %s',
    (_, h, type) => {
      const plan = planPhases(from, schemaOf({ tables: [users([n(type), h])] }), [], dialect)
      const drop = plan?.steps.find((s) => s.sql === 'ALTER TABLE public.users DROP COLUMN g')
      expect([drop?.phase, drop?.dataLoss, drop?.reverse]).toEqual([
        'contract',
        'none',
        { sql: 'ALTER TABLE public.users ADD COLUMN g bigint GENERATED ALWAYS AS (n * 2) STORED' },
      ])
      expect(drop?.comment).toContain('(its values live on in h)')
    },
  )
})
