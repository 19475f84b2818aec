import { describe, expect, it } from 'vitest'
import type { Change, ColumnAspect } from '../../diff/change.js'
import type { Policy } from '../../plan/policy.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import { col, enumRef } from '../../schema/build.js'
import type { Column } from '../../schema/model.js'
import { planPostgres } from './plan.js'

const t = { schema: 'public', name: 't' }
const alter = (from: Column, to: Column, aspects: readonly ColumnAspect[] = []): Change => ({
  kind: 'alterColumn',
  table: t,
  from,
  to,
  aspects,
})
/** Each step as `sql  ⟲ reverse`, which reads well in a snapshot. */
const lines = (change: Change, policy: Policy = directPolicy) =>
  planPostgres([change], policy)
    .steps.map((s) => `${s.sql}  ⟲ ${'sql' in s.reverse ? s.reverse.sql : `irreversible: ${s.reverse.irreversible}`}`)
    .join('\n')

describe('type changes', () => {
  it('widens an integer without USING, rewriting the table', () => {
    const [step] = planPostgres([alter(col('n', 'int4'), col('n', 'int8'), ['type'])], directPolicy).steps
    expect(step).toMatchObject({
      sql: 'ALTER TABLE public.t ALTER COLUMN n TYPE bigint',
      reverse: { sql: 'ALTER TABLE public.t ALTER COLUMN n TYPE integer' },
      lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [t] },
      rewritesTable: true,
      dataLoss: 'none',
    })
  })

  it.each([
    [
      { kind: 'text', length: 10 },
      { kind: 'text', length: 20 },
    ],
    [{ kind: 'text', length: 10 }, { kind: 'text' }],
    [
      { kind: 'decimal', precision: 10, scale: 2 },
      { kind: 'decimal', precision: 12, scale: 2 },
    ],
    [{ kind: 'decimal', precision: 10, scale: 2 }, { kind: 'decimal' }],
    [
      { kind: 'timestamp', withTimeZone: true, precision: 3 },
      { kind: 'timestamp', withTimeZone: true },
    ],
  ] as const)('keeps the table as it is for the binary-coercible %j → %j', (from, to) => {
    const [step] = planPostgres([alter(col('c', from), col('c', to), ['type'])], directPolicy).steps
    expect(step).toMatchObject({ rewritesTable: false, scansTable: false, dataLoss: 'none' })
    expect(step?.comment).toContain('binary coercible: no rewrite')
  })

  it.each([
    [{ kind: 'text' }, { kind: 'text', length: 10 }],
    [
      { kind: 'integer', bytes: 8 },
      { kind: 'integer', bytes: 4 },
    ],
    [
      { kind: 'decimal', precision: 10, scale: 2 },
      { kind: 'decimal', precision: 10, scale: 0 },
    ],
    [{ kind: 'jsonb' }, { kind: 'integer', bytes: 4 }],
  ] as const)('says %j → %j may lose or refuse data', (from, to) => {
    const [step] = planPostgres([alter(col('c', from), col('c', to), ['type'])], directPolicy).steps
    expect(step).toMatchObject({ rewritesTable: true, dataLoss: 'possible' })
  })

  it('casts with USING where no assignment cast exists, dropping and restoring the default around it', () => {
    const change = alter(col('c', 'text', { default: "'1'::text" }), col('c', 'int4', { default: '2' }), [
      'type',
      'default',
    ])
    expect(lines(change)).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT  ⟲ ALTER TABLE public.t ALTER COLUMN c SET DEFAULT '1'::text
      ALTER TABLE public.t ALTER COLUMN c TYPE integer USING c::integer  ⟲ ALTER TABLE public.t ALTER COLUMN c TYPE text
      ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 2  ⟲ ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT"
    `)
  })

  it('converts between enums through text, arrays included', () => {
    expect(lines(alter(col('m', enumRef('public.a')), col('m', enumRef('public.b')), ['type']))).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN m TYPE public.b USING m::text::public.b  ⟲ ALTER TABLE public.t ALTER COLUMN m TYPE public.a USING m::text::public.a"`,
    )
    const arrayOfA = { kind: 'array', element: enumRef('public.a') } as const
    const arrayOfB = { kind: 'array', element: enumRef('public.b') } as const
    expect(lines(alter(col('m', arrayOfA), col('m', arrayOfB), ['type']))).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN m TYPE public.b[] USING m::text[]::public.b[]  ⟲ ALTER TABLE public.t ALTER COLUMN m TYPE public.a[] USING m::text[]::public.a[]"`,
    )
  })

  it('changes the collation with the type, back to the default in reverse', () => {
    expect(lines(alter(col('c', 'text'), col('c', 'text', { collation: 'C' }), ['collation']))).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN c TYPE text COLLATE "C"  ⟲ ALTER TABLE public.t ALTER COLUMN c TYPE text COLLATE "default""`,
    )
  })
})

describe('defaults and nullability', () => {
  it('sets, changes and drops a default', () => {
    expect(lines(alter(col('c', 'int4'), col('c', 'int4', { default: '1' }), ['default']))).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 1  ⟲ ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT"`,
    )
    expect(
      lines(alter(col('c', 'int4', { default: '1' }), col('c', 'int4', { default: '2' }), ['default'])),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 2  ⟲ ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 1"`,
    )
    expect(lines(alter(col('c', 'int4', { default: '1' }), col('c', 'int4'), ['default']))).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT  ⟲ ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 1"`,
    )
  })

  it('drops NOT NULL in one step under either policy; its reverse is the safe sequence under the safe policy', () => {
    const change = alter(col('c', 'int4', { nullable: false }), col('c', 'int4'), ['nullable'])
    expect(lines(change, directPolicy)).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL  ⟲ ALTER TABLE public.t ALTER COLUMN c SET NOT NULL"`,
    )
    expect(lines(change, safePolicy)).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL  ⟲ ALTER TABLE public.t ADD CONSTRAINT t_c_keel_nn CHECK (c IS NOT NULL) NOT VALID;
      ALTER TABLE public.t VALIDATE CONSTRAINT t_c_keel_nn;
      ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;
      ALTER TABLE public.t DROP CONSTRAINT t_c_keel_nn"
    `)
  })

  it('warns in the step that a NOT NULL column without a default cannot be added to a table with rows', () => {
    const comment = (column: Column) =>
      planPostgres([{ kind: 'addColumn', table: t, column }], safePolicy).steps[0]?.comment ?? ''
    expect(comment(col('c', 'int4', { nullable: false }))).toContain(
      'NOT NULL without a default: fails if the table has rows',
    )
    expect(comment(col('c', 'int4', { nullable: false, default: '0' }))).toBe('Add column c to public.t')
    expect(comment(col('c', 'int4'))).toBe('Add column c to public.t')
    expect(comment(col('c', 'int8', { nullable: false, identity: { always: true } }))).not.toContain('NOT NULL')
  })

  it('names the temporary check within 63 bytes', () => {
    const long = 'c'.repeat(60)
    const [first] = planPostgres(
      [alter(col(long, 'int4'), col(long, 'int4', { nullable: false }), ['nullable'])],
      safePolicy,
    ).steps
    const name = /CONSTRAINT (\w+)/.exec(first?.sql ?? '')?.[1] ?? ''
    expect(name.length).toBeLessThanOrEqual(63)
    expect(name.endsWith('_keel_nn')).toBe(true)
  })
})

describe('identity', () => {
  it('adds, changes and drops an identity', () => {
    const plain = col('id', 'int8', { nullable: false })
    const always = col('id', 'int8', { nullable: false, identity: { always: true } })
    const byDefault = col('id', 'int8', {
      nullable: false,
      identity: { always: false, sequence: { start: 10, cycle: true } },
    })
    expect(lines(alter(plain, always, ['identity']))).toMatchInlineSnapshot(
      `
      "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY  ⟲ ALTER TABLE public.t ALTER COLUMN id DROP IDENTITY
      SELECT setval(pg_get_serial_sequence('public.t', 'id'), max(id)) FROM public.t HAVING max(id) >= 1  ⟲ "
    `,
    )
    expect(lines(alter(always, byDefault, ['identity']))).toMatchInlineSnapshot(
      `"ALTER TABLE public.t ALTER COLUMN id SET GENERATED BY DEFAULT SET START WITH 10 SET CYCLE  ⟲ ALTER TABLE public.t ALTER COLUMN id SET GENERATED ALWAYS SET START WITH 1 SET NO CYCLE"`,
    )
    expect(lines(alter(always, plain, ['identity']))).toMatchInlineSnapshot(
      `
      "ALTER TABLE public.t ALTER COLUMN id DROP IDENTITY  ⟲ ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
      SELECT setval(pg_get_serial_sequence('public.t', 'id'), max(id)) FROM public.t HAVING max(id) >= 1"
    `,
    )
  })

  it('makes the column NOT NULL before adding an identity, and replaces a default with it', () => {
    const from = col('id', 'int8', { default: '0' })
    const to = col('id', 'int8', { nullable: false, identity: { always: true } })
    expect(lines(alter(from, to, ['default', 'nullable', 'identity']))).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT  ⟲ ALTER TABLE public.t ALTER COLUMN id SET DEFAULT 0
      ALTER TABLE public.t ALTER COLUMN id SET NOT NULL  ⟲ ALTER TABLE public.t ALTER COLUMN id DROP NOT NULL
      ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY  ⟲ ALTER TABLE public.t ALTER COLUMN id DROP IDENTITY
      SELECT setval(pg_get_serial_sequence('public.t', 'id'), max(id)) FROM public.t HAVING max(id) >= 1  ⟲ "
    `)
  })
})

describe('serial', () => {
  it('creates, attaches and owns the sequence of a column that becomes serial', () => {
    const change = alter(col('n', 'int4', { nullable: false }), col('n', 'int4', { nullable: false, serial: true }), [
      'default',
    ])
    expect(lines(change)).toMatchInlineSnapshot(`
      "CREATE SEQUENCE public.t_n_seq AS integer  ⟲ DROP SEQUENCE public.t_n_seq
      ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq'::regclass)  ⟲ ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT
      ALTER SEQUENCE public.t_n_seq OWNED BY public.t.n  ⟲ ALTER SEQUENCE public.t_n_seq OWNED BY NONE
      SELECT setval(pg_get_serial_sequence('public.t', 'n'), max(n)) FROM public.t HAVING max(n) >= 1  ⟲ "
    `)
  })

  it('drops the default and the sequence of a column that stops being serial', () => {
    const change = alter(col('n', 'int8', { nullable: false, serial: true }), col('n', 'int8', { nullable: false }), [
      'default',
    ])
    expect(lines(change)).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT  ⟲ ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq'::regclass)
      DO $keel$BEGIN EXECUTE format('DROP SEQUENCE %s', pg_get_serial_sequence('public.t', 'n')); END$keel$  ⟲ CREATE SEQUENCE public.t_n_seq AS bigint OWNED BY public.t.n;
      SELECT setval(pg_get_serial_sequence('public.t', 'n'), max(n)) FROM public.t HAVING max(n) >= 1"
    `)
  })

  it('changes the sequence type with the column type', () => {
    const change = alter(
      col('n', 'int4', { nullable: false, serial: true }),
      col('n', 'int8', { nullable: false, serial: true }),
      ['type'],
    )
    expect(lines(change)).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN n TYPE bigint  ⟲ ALTER TABLE public.t ALTER COLUMN n TYPE integer
      DO $keel$BEGIN EXECUTE format('ALTER SEQUENCE %s AS bigint', pg_get_serial_sequence('public.t', 'n')); END$keel$  ⟲ DO $keel$BEGIN EXECUTE format('ALTER SEQUENCE %s AS integer', pg_get_serial_sequence('public.t', 'n')); END$keel$"
    `)
  })
})

describe('generated columns', () => {
  it('keeps the values of a column that stops being generated', () => {
    const change = alter(col('g', 'int4', { generated: { expr: '(id * 2)', stored: true } }), col('g', 'int4'), [
      'generated',
    ])
    const [step] = planPostgres([change], safePolicy).steps
    expect(step).toMatchObject({ sql: 'ALTER TABLE public.t ALTER COLUMN g DROP EXPRESSION', dataLoss: 'none' })
  })

  it('drops and adds a column whose expression changes', () => {
    const from = col('g', 'int4', { generated: { expr: '(id * 2)', stored: true } })
    const to = col('g', 'int4', { generated: { expr: '(id * 3)', stored: true }, comment: 'triple' })
    const plan = planPostgres([alter(from, to, ['generated', 'comment'])], safePolicy)
    expect(plan.steps.map((s) => [s.sql, s.dataLoss, s.rewritesTable])).toEqual([
      ['ALTER TABLE public.t DROP COLUMN g', 'none', false],
      ['ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS AS ((id * 3)) STORED', 'none', true],
      ["COMMENT ON COLUMN public.t.g IS 'triple'", 'none', false],
    ])
  })

  it('says a plain column that becomes generated loses its data', () => {
    const change = alter(col('g', 'int4'), col('g', 'int4', { generated: { expr: '(id * 2)', stored: true } }), [
      'generated',
    ])
    expect(planPostgres([change], safePolicy).steps[0]).toMatchObject({
      sql: 'ALTER TABLE public.t DROP COLUMN g',
      dataLoss: 'certain',
    })
  })
})

describe('every aspect at once', () => {
  it('orders removals, the type, then additions, each step with its own reverse', () => {
    const from = col('c', 'text', { default: "'x'::text" })
    const to = col(
      'c',
      { kind: 'text', length: 20 },
      { nullable: false, default: "'y'::character varying", comment: 'see' },
    )
    expect(lines(alter(from, to, ['type', 'default', 'nullable', 'comment']))).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN c TYPE varchar(20)  ⟲ ALTER TABLE public.t ALTER COLUMN c TYPE text
      ALTER TABLE public.t ALTER COLUMN c SET NOT NULL  ⟲ ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL
      ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 'y'::character varying  ⟲ ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 'x'::text
      COMMENT ON COLUMN public.t.c IS 'see'  ⟲ COMMENT ON COLUMN public.t.c IS NULL"
    `)
  })

  it('refuses a change it cannot carry out rather than dropping part of it', () => {
    expect(() => planPostgres([alter(col('a', 'int4'), col('b', 'int4'))], directPolicy)).toThrow(
      /cannot plan the change of column a/,
    )
  })
})
