import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { safePolicy } from '../../plan/policy.js'
import { arrayOf, check, col, enumOf, enumRef, index, routineOf, viewOf } from '../../schema/build.js'
import { planPostgres } from './plan.js'
import { isAdditive } from './steps-enum.js'

const mood = (values: readonly string[], comment?: string) =>
  enumOf('public.mood', values, comment === undefined ? {} : { comment })
const t = { schema: 'public', name: 't' }
const usages = [
  { table: t, column: col('m', enumRef('public.mood'), { default: "'ok'::mood" }) },
  { table: t, column: col('ms', arrayOf(enumRef('public.mood'))) },
]
const alterEnum = (from: readonly string[], to: readonly string[]): Change => ({
  kind: 'alterEnum',
  from: mood(from),
  to: mood(to),
  usages,
})

describe('isAdditive', () => {
  it.each([
    [['a', 'b'], ['a', 'b', 'c'], true],
    [['a', 'b'], ['x', 'a', 'y', 'b', 'z'], true],
    [[], ['a'], true],
    [['a', 'b'], ['b', 'a'], false],
    [['a', 'b'], ['a'], false],
    [['a', 'b'], ['a', 'c'], false],
  ] as const)('%j → %j: %s', (from, to, additive) => {
    expect(isAdditive(from, to)).toBe(additive)
  })
})

describe('alterEnum', () => {
  it('adds new values with ADD VALUE, outside the transaction, each placed by its neighbour', () => {
    const plan = planPostgres([alterEnum(['sad', 'ok'], ['low', 'sad', 'meh', 'ok', 'great'])], safePolicy)
    expect(plan.steps.map((s) => [s.sql, s.transactional, s.lock.blocks, s.phase])).toEqual([
      [`ALTER TYPE public.mood ADD VALUE 'low' BEFORE 'sad'`, false, 'nothing', 'expand'],
      [`ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'sad'`, false, 'nothing', 'expand'],
      [`ALTER TYPE public.mood ADD VALUE 'great' AFTER 'ok'`, false, 'nothing', 'expand'],
    ])
  })

  it('undoes each added value by recreating the type without it', () => {
    const plan = planPostgres([alterEnum(['sad'], ['sad', 'ok'])], safePolicy)
    expect(plan.steps[0]?.reverse).toMatchInlineSnapshot(`
      {
        "sql": "ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT;
      ALTER TYPE public.mood RENAME TO mood_keel_old;
      CREATE TYPE public.mood AS ENUM ('sad');
      ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;
      ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood[] USING ms::text[]::public.mood[];
      ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'ok'::mood;
      DROP TYPE public.mood_keel_old",
      }
    `)
  })

  it('undoes an added value around what reads the columns or takes the type, dropped first and created after', () => {
    const dependents: Change[] = [
      { kind: 'dropCheck', table: t, check: check('t_m_check', "(m <> 'ok'::mood)") },
      { kind: 'dropIndex', table: t, index: index('t_ok_idx', ['id'], { where: "(m = 'ok'::mood)" }) },
      {
        kind: 'dropColumn',
        table: t,
        column: col('h', 'bool', { generated: { expr: "(m = 'ok'::mood)", stored: true } }),
      },
      { kind: 'dropView', view: viewOf('public.v', 'SELECT id, m FROM t', ['public.t']) },
      {
        kind: 'dropRoutine',
        routine: routineOf('public.is_ok', 'CREATE OR REPLACE FUNCTION public.is_ok(x mood) ...', {
          identityArgs: 'x mood',
          dependsOn: [{ kind: 'type', name: { schema: 'public', name: 'mood' } }],
        }),
      },
    ]
    const change: Change = { kind: 'alterEnum', from: mood(['ok']), to: mood(['ok', 'sad']), usages, dependents }
    const plan = planPostgres([change], safePolicy)
    expect(plan.steps.map((s) => s.sql)).toEqual([`ALTER TYPE public.mood ADD VALUE 'sad' AFTER 'ok'`])
    const reverse = plan.steps[0]?.reverse
    expect(reverse && 'sql' in reverse && reverse.sql).toMatchInlineSnapshot(`
      "DROP VIEW public.v;
      DROP INDEX public.t_ok_idx;
      ALTER TABLE public.t DROP CONSTRAINT t_m_check;
      ALTER TABLE public.t DROP COLUMN h;
      DROP FUNCTION public.is_ok(x mood);
      ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT;
      ALTER TYPE public.mood RENAME TO mood_keel_old;
      CREATE TYPE public.mood AS ENUM ('ok');
      ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;
      ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood[] USING ms::text[]::public.mood[];
      ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'ok'::mood;
      DROP TYPE public.mood_keel_old;
      CREATE OR REPLACE FUNCTION public.is_ok(x mood) ...;
      ALTER TABLE public.t ADD COLUMN h boolean GENERATED ALWAYS AS ((m = 'ok'::mood)) STORED;
      ALTER TABLE public.t ADD CONSTRAINT t_m_check CHECK ((m <> 'ok'::mood));
      CREATE INDEX t_ok_idx ON public.t (id) WHERE (m = 'ok'::mood);
      CREATE VIEW public.v AS
      SELECT id, m FROM t"
    `)
  })

  it('drops a routine that takes the type before adding values, so that the reverse finds it gone', () => {
    const routine = routineOf('public.is_ok', 'CREATE OR REPLACE FUNCTION public.is_ok(x mood) ...', {
      identityArgs: 'x mood',
      dependsOn: [{ kind: 'type', name: { schema: 'public', name: 'mood' } }],
    })
    const sql = planPostgres([alterEnum(['ok'], ['ok', 'sad']), { kind: 'dropRoutine', routine }], safePolicy).steps
    expect(sql.map((s) => s.sql)).toEqual([
      'DROP FUNCTION public.is_ok(x mood)',
      `ALTER TYPE public.mood ADD VALUE 'sad' AFTER 'ok'`,
    ])
  })

  it('recreates the type when a value goes away, converting every column through text', () => {
    const plan = planPostgres([alterEnum(['sad', 'ok', 'happy'], ['happy', 'ok'])], safePolicy)
    expect(
      plan.steps.map((s) => `${s.sql}  -- ${s.dataLoss}, ${'sql' in s.reverse ? s.reverse.sql : ''}`).join('\n'),
    ).toMatchInlineSnapshot(`
      "ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT  -- none, ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'ok'::mood
      ALTER TYPE public.mood RENAME TO mood_keel_old  -- none, ALTER TYPE public.mood_keel_old RENAME TO mood
      CREATE TYPE public.mood AS ENUM ('happy', 'ok')  -- none, DROP TYPE public.mood
      ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood  -- possible, ALTER TABLE public.t ALTER COLUMN m TYPE public.mood_keel_old USING m::text::public.mood_keel_old
      ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood[] USING ms::text[]::public.mood[]  -- possible, ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood_keel_old[] USING ms::text[]::public.mood_keel_old[]
      ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'ok'::mood  -- none, ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT
      DROP TYPE public.mood_keel_old  -- none, CREATE TYPE public.mood_keel_old AS ENUM ('sad', 'ok', 'happy')"
    `)
    expect(plan.steps.every((s) => s.transactional && s.phase === 'contract')).toBe(true)
  })

  it('keeps the comment of a recreated type', () => {
    const change: Change = {
      kind: 'alterEnum',
      from: mood(['a', 'b'], 'feelings'),
      to: mood(['b', 'a'], 'feelings'),
      usages: [],
    }
    const sql = planPostgres([change], safePolicy).steps.map((s) => s.sql)
    expect(sql).toEqual([
      'ALTER TYPE public.mood RENAME TO mood_keel_old',
      `CREATE TYPE public.mood AS ENUM ('b', 'a')`,
      `COMMENT ON TYPE public.mood IS 'feelings'`,
      'DROP TYPE public.mood_keel_old',
    ])
  })

  it('leaves alone the columns of tables created or dropped in the same plan', () => {
    const change: Change = {
      kind: 'alterEnum',
      from: mood(['a', 'b']),
      to: mood(['b']),
      usages: [{ table: { schema: 'public', name: 'fresh' }, column: col('m', enumRef('public.mood')) }],
    }
    const sql = planPostgres(
      [
        change,
        {
          kind: 'dropTable',
          table: {
            name: { schema: 'public', name: 'fresh' },
            columns: [],
            uniques: [],
            indexes: [],
            foreignKeys: [],
            checks: [],
          },
        },
      ],
      safePolicy,
    ).steps.map((s) => s.sql)
    expect(sql.some((s) => s.includes('ALTER COLUMN'))).toBe(false)
  })
})
