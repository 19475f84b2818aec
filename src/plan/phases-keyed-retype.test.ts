import { beforeAll, describe, expect, it } from 'vitest'
import { phasesDialect as dialect, outline, users } from '../../test/support/phases-plan.js'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { col, fk, index, pk, schemaOf, tableOf } from '../schema/build.js'
import type { Table } from '../schema/model.js'
import { planPhases } from './phases.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => postgresPhaseSql.prepare())

describe('planPhases: a retyped column a key, an index or a sequence names', () => {
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

  it('labels the swap’s drop of a child’s foreign key with the locks it takes: the child and its parent', () => {
    const from = schemaOf({ tables: [authors('int4'), books('int8')] })
    const to = schemaOf({ tables: [authors('int8'), books('int8')] })
    const drop = planPhases(from, to, [], dialect)?.steps.find(
      (s) => s.sql === 'ALTER TABLE public.books DROP CONSTRAINT books_author_id_fkey',
    )
    expect(drop?.lock.on.map((t) => t.name)).toEqual(['books', 'authors'])
  })
})
