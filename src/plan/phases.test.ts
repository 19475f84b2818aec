import { beforeAll, describe, expect, it } from 'vitest'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { planPostgres } from '../dialect/postgres/plan.js'
import { quoteIdent } from '../dialect/postgres/quote.js'
import { col, fk, index, nameOf, pk, schemaOf, tableOf, viewOf } from '../schema/build.js'
import type { Table } from '../schema/model.js'
import { planPhases } from './phases.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => postgresPhaseSql.prepare())

const dialect = { plan: planPostgres, phaseSql: postgresPhaseSql, quoteIdent, defaultNamespace: 'public' }
const users = (columns: Table['columns'], extras: Partial<Table> = {}) =>
  tableOf('public.users', [col('id', 'int8', { nullable: false }), ...columns], {
    primaryKey: pk('users_pkey', ['id']),
    ...extras,
  })

/** `phase: comment` of each step, the way a reviewer reads the generated migrations. */
const outline = (plan: ReturnType<typeof planPhases>) => plan?.steps.map((s) => `${s.phase}: ${s.sql.split('\n')[0]}`)

describe('planPhases', () => {
  it('leaves a change that breaks no running release to the one-migration plan', () => {
    const from = schemaOf({ tables: [users([col('a', 'text')])] })
    const to = schemaOf({ tables: [users([col('a', 'text'), col('b', 'text')])] })
    expect(planPhases(from, to, [], dialect)).toBeUndefined()
  })

  it('drops a column only at contract, relaxing its NOT NULL at expand so the new release can insert', () => {
    const from = schemaOf({ tables: [users([col('legacy', 'text', { nullable: false }), col('a', 'text')])] })
    const to = schemaOf({ tables: [users([col('a', 'text')])] })
    expect(outline(planPhases(from, to, [], dialect))).toEqual([
      'expand: ALTER TABLE public.users ALTER COLUMN legacy DROP NOT NULL',
      'contract: ALTER TABLE public.users DROP COLUMN legacy',
    ])
  })

  it('renames a table in place and keeps its old name working through a view until contract', () => {
    const from = schemaOf({ tables: [tableOf('public.clients', [col('id', 'int8', { nullable: false })])] })
    const to = schemaOf({
      tables: [
        {
          ...tableOf('public.customers', [col('id', 'int8', { nullable: false })]),
          renamedFrom: nameOf('public.clients'),
        },
      ],
    })
    expect(outline(planPhases(from, to, [], dialect))).toEqual([
      'expand: ALTER TABLE public.clients RENAME TO customers',
      'expand: CREATE VIEW public.clients AS SELECT * FROM public.customers',
      'contract: DROP VIEW public.clients',
    ])
  })

  it('builds the index of a retyped column again on the new column, concurrently, and renames it at the swap', () => {
    const from = schemaOf({ tables: [users([col('n', 'int4')], { indexes: [index('users_n_idx', ['n'])] })] })
    const to = schemaOf({ tables: [users([col('n', 'int8')], { indexes: [index('users_n_idx', ['n'])] })] })
    expect(outline(planPhases(from, to, [], dialect))?.filter((s) => s.startsWith('contract'))).toEqual([
      'contract: CREATE INDEX CONCURRENTLY users_n_idx_keel_new ON public.users (n_keel_new)',
      'contract: DROP TRIGGER IF EXISTS users_keel_sync ON public.users',
      'contract: DROP FUNCTION IF EXISTS public.users_keel_sync()',
      'contract: ALTER TABLE public.users DROP COLUMN n',
      'contract: ALTER TABLE public.users RENAME COLUMN n_keel_new TO n',
      'contract: ALTER INDEX public.users_n_idx_keel_new RENAME TO users_n_idx',
    ])
  })

  // Seed 1106, pair 284 of the round trip's generator: the index was built on the new column, renamed at the swap,
  // then dropped by the contract plan, since the goal has none.
  it('builds no index on the new column that the goal drops or changes (the swap drops the old one)', () => {
    const from = schemaOf({
      tables: [users([col('n', 'int4')], { indexes: [index('users_n_idx', ['n']), index('users_n2', ['n', 'id'])] })],
    })
    const to = schemaOf({ tables: [users([col('n', 'int8')], { indexes: [index('users_n2', ['id', 'n'])] })] })
    const steps = outline(planPhases(from, to, [], dialect)) ?? []
    expect(steps.filter((s) => /INDEX/.test(s))).toEqual([
      'contract: CREATE INDEX CONCURRENTLY users_n2 ON public.users (id, n)',
    ])
  })

  it('builds no unique key on the new column that the goal drops (the swap drops the old one)', () => {
    const from = schemaOf({
      tables: [users([col('n', 'int4')], { uniques: [{ name: 'users_n_key', columns: ['n'] }] })],
    })
    const to = schemaOf({ tables: [users([col('n', 'int8')])] })
    const steps = outline(planPhases(from, to, [], dialect)) ?? []
    expect(steps.filter((s) => /users_n_key|INDEX/.test(s))).toEqual([])
  })

  it('builds a retyped column beside the old one, backfills it with a cast, and swaps it in at contract', () => {
    const from = schemaOf({ tables: [users([col('n', 'int4')])] })
    const to = schemaOf({ tables: [users([col('n', 'int8')])] })
    const plan = planPhases(from, to, [], dialect)
    expect(outline(plan)).toEqual([
      'expand: ALTER TABLE public.users ADD COLUMN n_keel_new bigint',
      'expand: CREATE OR REPLACE FUNCTION public.users_keel_sync() RETURNS trigger LANGUAGE plpgsql AS $keel$',
      `expand: COMMENT ON FUNCTION public.users_keel_sync() IS 'keel:sync v1 [{"kind":"derive","column":"n_keel_new","expr":"n::bigint"}]'`,
      'expand: CREATE OR REPLACE TRIGGER users_keel_sync BEFORE INSERT OR UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_keel_sync()',
      'backfill: UPDATE public.users SET n_keel_new = (n::bigint) WHERE n_keel_new IS NULL',
      'contract: DROP TRIGGER IF EXISTS users_keel_sync ON public.users',
      'contract: DROP FUNCTION IF EXISTS public.users_keel_sync()',
      'contract: ALTER TABLE public.users DROP COLUMN n',
      'contract: ALTER TABLE public.users RENAME COLUMN n_keel_new TO n',
    ])
    expect(plan?.steps.filter((s) => s.phase === 'contract' && 'irreversible' in s.reverse)).toHaveLength(2)
  })

  it('moves the sequence of a serial primary key to the new column inside the swap, before the old column is dropped', () => {
    const table = (type: 'int4' | 'int8') =>
      tableOf('public.users', [col('id', type, { nullable: false, serial: true })], {
        primaryKey: pk('users_pkey', ['id']),
      })
    const plan = planPhases(schemaOf({ tables: [table('int4')] }), schemaOf({ tables: [table('int8')] }), [], dialect)
    expect(outline(plan)).toEqual([
      'expand: ALTER TABLE public.users ADD COLUMN id_keel_new bigint',
      'expand: CREATE OR REPLACE FUNCTION public.users_keel_sync() RETURNS trigger LANGUAGE plpgsql AS $keel$',
      `expand: COMMENT ON FUNCTION public.users_keel_sync() IS 'keel:sync v1 [{"kind":"derive","column":"id_keel_new","expr":"id::bigint"}]'`,
      'expand: CREATE OR REPLACE TRIGGER users_keel_sync BEFORE INSERT OR UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_keel_sync()',
      'expand: ALTER TABLE public.users ADD CONSTRAINT id_keel_new_keel_nn CHECK (id_keel_new IS NOT NULL) NOT VALID',
      'backfill: UPDATE public.users SET id_keel_new = (id::bigint) WHERE id_keel_new IS NULL',
      'contract: CREATE UNIQUE INDEX CONCURRENTLY users_pkey_keel_new ON public.users (id_keel_new)',
      'contract: ALTER TABLE public.users VALIDATE CONSTRAINT id_keel_new_keel_nn',
      'contract: DROP TRIGGER IF EXISTS users_keel_sync ON public.users',
      'contract: DROP FUNCTION IF EXISTS public.users_keel_sync()',
      'contract: ALTER TABLE public.users ALTER COLUMN id_keel_new SET NOT NULL',
      'contract: ALTER TABLE public.users DROP CONSTRAINT id_keel_new_keel_nn',
      "contract: DO $keel$BEGIN EXECUTE format('ALTER SEQUENCE %s OWNED BY public.users.id_keel_new', pg_get_serial_sequence('public.users', 'id')); END$keel$",
      "contract: DO $keel$BEGIN EXECUTE format('ALTER SEQUENCE %s AS bigint', pg_get_serial_sequence('public.users', 'id_keel_new')); END$keel$",
      "contract: ALTER TABLE public.users ALTER COLUMN id_keel_new SET DEFAULT nextval('public.users_id_seq'::regclass)",
      'contract: ALTER TABLE public.users DROP COLUMN id',
      'contract: ALTER TABLE public.users RENAME COLUMN id_keel_new TO id',
      'contract: ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey_keel_new',
    ])
    // Only the expand's first group and the swap ask for ACCESS EXCLUSIVE; every contract step before the swap
    // lets writers go on.
    const contract = plan?.steps.filter((s) => s.phase === 'contract') ?? []
    const swap = contract.findIndex((s) => s.sql.startsWith('DROP TRIGGER'))
    expect(contract.slice(0, swap).map((s) => s.lock.blocks)).toEqual(['nothing', 'nothing'])
  })

  // A column that becomes or stops being serial or identity while retyped: the expand leaves the old column drawing
  // from a sequence the swap can move (or, stopping, accepting the new release's own ids); nothing is changed in place.
  it('retypes a column that starts or stops drawing from a sequence through the swap, the old column drawing until then', () => {
    const table = (
      id: Partial<Parameters<typeof col>[2]>,
      type: 'int4' | 'int8',
      n: Partial<Parameters<typeof col>[2]>,
    ) =>
      tableOf('public.users', [col('id', type, { nullable: false, ...id }), col('n', type, n)], {
        primaryKey: pk('users_pkey', ['id']),
      })
    const phased = (from: Table, to: Table) => {
      const plan = planPhases(schemaOf({ tables: [from] }), schemaOf({ tables: [to] }), [], dialect)
      expect(plan?.steps.filter((s) => s.rewritesTable)).toEqual([])
      return (outline(plan) ?? []).filter((s) => !/keel_sync|keel_nn|ADD COLUMN|UNIQUE INDEX|setval/.test(s))
    }
    // A NOT NULL key becoming identity takes it BY DEFAULT; a nullable column, a serial (an identity needs NOT NULL).
    expect(
      phased(
        table({}, 'int4', {}),
        table({ identity: { always: true } }, 'int8', { identity: { always: false }, nullable: false }),
      ),
    ).toEqual([
      'expand: CREATE SEQUENCE public.users_n_seq AS integer OWNED BY public.users.n',
      'expand: ALTER TABLE public.users ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY',
      "expand: ALTER TABLE public.users ALTER COLUMN n SET DEFAULT nextval('users_n_seq'::regclass)",
      'backfill: UPDATE public.users SET id_keel_new = (id::bigint), n_keel_new = (n::bigint) WHERE id_keel_new IS NULL OR n_keel_new IS NULL',
      'contract: ALTER TABLE public.users ALTER COLUMN id_keel_new SET NOT NULL',
      'contract: ALTER TABLE public.users ALTER COLUMN id_keel_new ADD GENERATED ALWAYS AS IDENTITY',
      'contract: ALTER TABLE public.users ALTER COLUMN n_keel_new SET NOT NULL',
      'contract: ALTER TABLE public.users ALTER COLUMN n_keel_new ADD GENERATED BY DEFAULT AS IDENTITY',
      'contract: ALTER TABLE public.users DROP COLUMN id',
      'contract: ALTER TABLE public.users RENAME COLUMN id_keel_new TO id',
      'contract: ALTER TABLE public.users DROP COLUMN n',
      'contract: ALTER TABLE public.users RENAME COLUMN n_keel_new TO n',
      'contract: ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey_keel_new',
      "contract: DO $keel$BEGIN EXECUTE format('ALTER SEQUENCE %s RENAME TO users_id_seq', pg_get_serial_sequence('public.users', 'id')); END$keel$",
      "contract: DO $keel$BEGIN EXECUTE format('ALTER SEQUENCE %s RENAME TO users_n_seq', pg_get_serial_sequence('public.users', 'n')); END$keel$",
    ])
    // An identity GENERATED ALWAYS that stops drawing accepts the new release's ids until the swap drops it.
    expect(phased(table({ identity: { always: true } }, 'int4', {}), table({}, 'int8', {}))).toEqual([
      'expand: ALTER TABLE public.users ALTER COLUMN id SET GENERATED BY DEFAULT',
      'backfill: UPDATE public.users SET id_keel_new = (id::bigint), n_keel_new = (n::bigint) WHERE id_keel_new IS NULL OR n_keel_new IS NULL',
      'contract: ALTER TABLE public.users DROP COLUMN id',
      'contract: ALTER TABLE public.users RENAME COLUMN id_keel_new TO id',
      'contract: ALTER TABLE public.users DROP COLUMN n',
      'contract: ALTER TABLE public.users RENAME COLUMN n_keel_new TO n',
      'contract: ALTER TABLE public.users ALTER COLUMN id SET NOT NULL',
      'contract: ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey_keel_new',
    ])
  })

  // A key and the column that references it, widened together: the referencing column is retyped online too
  // (its foreign key added again between the two new columns, NOT VALID then validated), and the swap drops the
  // old foreign key before either old column goes.
  const authors = (type: 'int4' | 'int8') =>
    tableOf('public.authors', [col('id', type, { nullable: false })], { primaryKey: pk('authors_pkey', ['id']) })
  const books = (type: 'int4' | 'int8') =>
    tableOf('public.books', [col('id', 'int8', { nullable: false }), col('author_id', type, { nullable: false })], {
      primaryKey: pk('books_pkey', ['id']),
      indexes: [index('books_author_id_idx', ['author_id'])],
      foreignKeys: [fk('books_author_id_fkey', ['author_id'], 'public.authors', ['id'])],
    })
  it('retypes a referencing column with its key: its foreign key moves between the new columns', () => {
    const from = schemaOf({ tables: [authors('int4'), books('int4')] })
    const to = schemaOf({ tables: [authors('int8'), books('int8')] })
    const plan = planPhases(from, to, [], dialect)
    expect(outline(plan)?.filter((s) => !s.includes('keel_sync'))).toEqual([
      'expand: ALTER TABLE public.authors ADD COLUMN id_keel_new bigint',
      'expand: ALTER TABLE public.books ADD COLUMN author_id_keel_new bigint',
      'expand: ALTER TABLE public.authors ADD CONSTRAINT id_keel_new_keel_nn CHECK (id_keel_new IS NOT NULL) NOT VALID',
      'expand: ALTER TABLE public.books ADD CONSTRAINT author_id_keel_new_keel_nn CHECK (author_id_keel_new IS NOT NULL) NOT VALID',
      'backfill: UPDATE public.authors SET id_keel_new = (id::bigint) WHERE id_keel_new IS NULL',
      'backfill: UPDATE public.books SET author_id_keel_new = (author_id::bigint) WHERE author_id_keel_new IS NULL',
      'contract: CREATE UNIQUE INDEX CONCURRENTLY authors_pkey_keel_new ON public.authors (id_keel_new)',
      'contract: ALTER TABLE public.authors VALIDATE CONSTRAINT id_keel_new_keel_nn',
      'contract: ALTER TABLE public.books VALIDATE CONSTRAINT author_id_keel_new_keel_nn',
      'contract: CREATE INDEX CONCURRENTLY books_author_id_idx_keel_new ON public.books (author_id_keel_new)',
      'contract: ALTER TABLE public.books ADD CONSTRAINT books_author_id_fkey_keel_new FOREIGN KEY (author_id_keel_new) REFERENCES public.authors (id_keel_new) NOT VALID',
      'contract: ALTER TABLE public.books VALIDATE CONSTRAINT books_author_id_fkey_keel_new',
      'contract: ALTER TABLE public.books DROP CONSTRAINT books_author_id_fkey',
      'contract: ALTER TABLE public.authors DROP COLUMN id',
      'contract: ALTER TABLE public.authors RENAME COLUMN id_keel_new TO id',
      'contract: ALTER TABLE public.books DROP COLUMN author_id',
      'contract: ALTER TABLE public.books RENAME COLUMN author_id_keel_new TO author_id',
      'contract: ALTER TABLE public.authors ALTER COLUMN id SET NOT NULL',
      'contract: ALTER TABLE public.authors DROP CONSTRAINT id_keel_new_keel_nn',
      'contract: ALTER TABLE public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY USING INDEX authors_pkey_keel_new',
      'contract: ALTER TABLE public.books ALTER COLUMN author_id SET NOT NULL',
      'contract: ALTER TABLE public.books DROP CONSTRAINT author_id_keel_new_keel_nn',
      'contract: ALTER INDEX public.books_author_id_idx_keel_new RENAME TO books_author_id_idx',
      'contract: ALTER TABLE public.books RENAME CONSTRAINT books_author_id_fkey_keel_new TO books_author_id_fkey',
    ])
  })

  it('builds every new key index before a foreign key that references one, whatever the tables’ order', () => {
    const from = schemaOf({ tables: [books('int4'), authors('int4')] })
    const to = schemaOf({ tables: [books('int8'), authors('int8')] })
    const sqls = planPhases(from, to, [], dialect)?.steps.map((s) => s.sql) ?? []
    const index = sqls.findIndex((s) => s.includes('authors_pkey_keel_new ON'))
    const foreignKey = sqls.findIndex((s) => s.includes('ADD CONSTRAINT books_author_id_fkey_keel_new'))
    expect(index).toBeGreaterThan(0)
    expect(foreignKey).toBeGreaterThan(index)
  })

  it('retypes a referencing column alone (its key is already wide): no one-step rewrite', () => {
    const from = schemaOf({ tables: [authors('int8'), books('int4')] })
    const to = schemaOf({ tables: [authors('int8'), books('int8')] })
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.some((s) => s.rewritesTable)).toBe(false)
    expect(outline(plan)).toContain(
      'contract: ALTER TABLE public.books ADD CONSTRAINT books_author_id_fkey_keel_new FOREIGN KEY (author_id_keel_new) REFERENCES public.authors (id) NOT VALID',
    )
  })

  it('says so when a referencing column keeps a narrower type than its widened key', () => {
    const from = schemaOf({ tables: [authors('int4'), books('int4')] })
    const to = schemaOf({ tables: [authors('int8'), books('int4')] })
    const step = planPhases(from, to, [], dialect)?.steps.find((s) => s.sql.includes('FOREIGN KEY'))
    expect(step?.sql).toContain('FOREIGN KEY (author_id) REFERENCES public.authors (id_keel_new) NOT VALID')
    expect(step?.comment).toContain('public.books.author_id keeps its narrower type, as the schema says')
  })

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

  it('swaps an enum that loses a value: a twin type and column beside the old ones, swapped in at contract', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const table = users([col('m', { kind: 'enum', enum: nameOf('public.mood') }), col('legacy', 'text')])
    const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [table] })
    const to = schemaOf({
      enums: [mood(['b', 'c'])],
      tables: [{ ...table, columns: table.columns.filter((c) => c.name !== 'legacy') }],
    })
    const plan = planPhases(from, to, [], dialect)
    // No statement converts the table's rows: the backfill does, in batches (and fails, naming the value, on a row
    // that holds one the new type lacks, before anything is dropped).
    expect(plan?.steps.filter((s) => s.rewritesTable)).toEqual([])
    expect(outline(plan)?.filter((s) => !s.includes('keel_sync'))).toEqual([
      "expand: CREATE TYPE public.mood_keel_new AS ENUM ('b', 'c')",
      // The new release may write 'c' through the old column until the swap.
      "expand: ALTER TYPE public.mood ADD VALUE 'c' AFTER 'b'",
      'expand: ALTER TABLE public.users ADD COLUMN m_keel_new public.mood_keel_new',
      'backfill: UPDATE public.users SET m_keel_new = (m::text::public.mood_keel_new) WHERE m_keel_new IS NULL',
      'contract: ALTER TABLE public.users DROP COLUMN m',
      'contract: ALTER TABLE public.users RENAME COLUMN m_keel_new TO m',
      'contract: DROP TYPE public.mood',
      'contract: ALTER TYPE public.mood_keel_new RENAME TO mood',
      'contract: ALTER TABLE public.users DROP COLUMN legacy',
    ])
  })

  it('swaps an enum whose dropped table goes first, and creates a new table that uses it on the twin', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const m = col('m', { kind: 'enum', enum: nameOf('public.mood') }, { default: { kind: 'sql', sql: "'b'::mood" } })
    const kept = users([m])
    const old = tableOf('public.old', [col('id', 'int8', { nullable: false }), m], {
      primaryKey: pk('old_pkey', ['id']),
    })
    const fresh = tableOf('public.fresh', [col('id', 'int8', { nullable: false }), m], {
      primaryKey: pk('fresh_pkey', ['id']),
      checks: [{ name: 'fresh_m_check', expr: "m <> 'c'::mood" }],
    })
    const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [kept, old] })
    const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [kept, fresh] })
    const plan = outline(planPhases(from, to, [], dialect)) ?? []
    expect(plan.filter((s) => / public\.(fresh|old)|TYPE/.test(s))).toEqual([
      "expand: CREATE TYPE public.mood_keel_new AS ENUM ('b', 'c')",
      "expand: ALTER TYPE public.mood ADD VALUE 'c' AFTER 'b'",
      'expand: CREATE TABLE public.fresh (',
      'contract: DROP TABLE public.old',
      'contract: DROP TYPE public.mood',
      'contract: ALTER TYPE public.mood_keel_new RENAME TO mood',
    ])
    const create = planPhases(from, to, [], dialect)?.steps.find((s) => s.sql.startsWith('CREATE TABLE public.fresh'))
    expect(create?.sql).toContain("m public.mood_keel_new DEFAULT 'b'::mood_keel_new")
    expect(create?.sql).toContain("CHECK (m <> 'c'::mood_keel_new)")
  })

  it('says that an enum column a stored generated column reads has no online form, and converts it at contract', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const table = users([
      col('m', { kind: 'enum', enum: nameOf('public.mood') }),
      col('happy', 'bool', { generated: { expr: "m = 'b'::mood", stored: true } }),
    ])
    const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [table] })
    const to = schemaOf({ enums: [mood(['b', 'a'])], tables: [table] })
    const blocking = planPhases(from, to, [], dialect)?.steps.filter((s) => s.rewritesTable) ?? []
    expect(blocking.map((s) => s.noOnlineForm)).toEqual([
      expect.stringMatching(/^public\.users\.m is read by a stored generated column/),
      expect.stringMatching(/^PostgreSQL computes stored generated column public\.users\.happy/),
    ])
  })

  it('adds a NOT NULL column nothing fills as nullable, and proves it NOT NULL at contract with a validated check', () => {
    const from = schemaOf({ tables: [users([col('a', 'text')])] })
    const to = schemaOf({ tables: [users([col('a', 'text'), col('b', 'text', { nullable: false })])] })
    expect(outline(planPhases(from, to, [], dialect))).toEqual([
      'expand: ALTER TABLE public.users ADD COLUMN b text',
      'contract: ALTER TABLE public.users ADD CONSTRAINT users_b_keel_nn CHECK (b IS NOT NULL) NOT VALID',
      'contract: ALTER TABLE public.users VALIDATE CONSTRAINT users_b_keel_nn',
      'contract: ALTER TABLE public.users ALTER COLUMN b SET NOT NULL',
      'contract: ALTER TABLE public.users DROP CONSTRAINT users_b_keel_nn',
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

  it('labels the swap’s drop of a child’s foreign key with the locks it takes: the child and its parent', () => {
    const from = schemaOf({ tables: [authors('int4'), books('int8')] })
    const to = schemaOf({ tables: [authors('int8'), books('int8')] })
    const drop = planPhases(from, to, [], dialect)?.steps.find(
      (s) => s.sql === 'ALTER TABLE public.books DROP CONSTRAINT books_author_id_fkey',
    )
    expect(drop?.lock.on.map((t) => t.name)).toEqual(['books', 'authors'])
  })
})
