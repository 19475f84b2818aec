import { describe, expect, it } from 'vitest'
import type { RoutineChange } from '../../diff/change.js'
import { diff } from '../../diff/diff.js'
import { invertChange } from '../../plan/invert.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import { check, col, domainOf, routineOf, schemaOf, tableOf, triggerOf, viewOf } from '../../schema/build.js'
import type { Routine } from '../../schema/model.js'
import { planPostgres } from './plan.js'

const users = tableOf('public.users', [col('id', 'int8', { nullable: false }), col('updated_at', 'timestamptz')])
const positive = domainOf('public.positive', 'int4', { checks: [check('positive_check', '(VALUE > 0)')] })
const fn = (name: string, body: string, language = 'plpgsql', returns = 'trigger'): string =>
  `CREATE OR REPLACE FUNCTION public.${name}()\n RETURNS ${returns}\n LANGUAGE ${language}\nAS $function$${body}$function$`
const touch = routineOf('public.touch', fn('touch', 'BEGIN RETURN NEW; END'), { returns: 'trigger' })
const countUsers = routineOf('public.count_users', fn('count_users', ' select count(*) from users ', 'sql', 'bigint'), {
  returns: 'bigint',
})
const touchUsers = triggerOf(
  'public.users',
  'users_touch',
  'public.touch',
  'CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()',
)
const step = concat('public.concat_step', 'acc text, x text')
const concatAll = routineOf(
  'public.concat_all',
  'CREATE OR REPLACE AGGREGATE public.concat_all(text) (\n    SFUNC = concat_step,\n    STYPE = text\n)',
  {
    kind: 'aggregate',
    identityArgs: 'text',
    returns: 'text',
    dependsOn: [{ kind: 'routine', name: step.name, identityArgs: step.identityArgs }],
  },
)

function concat(name: string, identityArgs: string): Routine {
  return routineOf(
    name,
    `CREATE OR REPLACE FUNCTION ${name}(${identityArgs})\n RETURNS text\n LANGUAGE plpgsql\nAS $$ $$`,
    {
      identityArgs,
      returns: 'text',
    },
  )
}

/** One change of each kind this module plans. */
const changes: readonly RoutineChange[] = [
  { kind: 'createDomain', domain: { ...positive, comment: 'more than zero' } },
  { kind: 'dropDomain', domain: positive },
  { kind: 'alterDomain', from: positive, to: { ...positive, notNull: true } },
  { kind: 'createRoutine', routine: { ...countUsers, comment: 'how many' } },
  { kind: 'dropRoutine', routine: touch },
  { kind: 'alterRoutine', from: touch, to: { ...touch, definition: fn('touch', 'BEGIN RETURN OLD; END') } },
  { kind: 'createTrigger', trigger: touchUsers },
  { kind: 'dropTrigger', trigger: touchUsers },
  { kind: 'alterTrigger', from: touchUsers, to: { ...touchUsers, enabled: 'D' } },
]

const sqlOf = (plan: ReturnType<typeof planPostgres>) => plan.steps.map((s) => s.sql)

describe('routine change kinds', () => {
  it('covers every kind', () => {
    expect(new Set(changes.map((c) => c.kind)).size).toBe(9)
  })

  describe.each([
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const)('under the %s policy', (_name, policy) => {
    it.each(changes.map((c) => [c.kind, c] as const))(
      '%s plans complete steps that reverse to its inverse',
      (_k, change) => {
        const { steps } = planPostgres([change], policy)
        expect(steps.length).toBeGreaterThan(0)
        for (const s of steps) {
          expect(s.sql.trim()).not.toBe('')
          expect(s.sql).not.toMatch(/;\s*$/)
          expect('sql' in s.reverse).toBe(true)
          expect(s.transactional).toBe(true)
        }
        // Undoing every step, last first, ends with the plan of the inverse change (after removing comments).
        const undo = [...steps].reverse().flatMap((s) => ('sql' in s.reverse ? [s.reverse.sql] : []))
        const inverse = sqlOf(planPostgres([invertChange(change)], policy)).join(';\n')
        expect(undo.join(';\n').endsWith(inverse)).toBe(true)
        expect(undo.slice(0, -1).every((sql) => sql.startsWith('COMMENT ON '))).toBe(true)
      },
    )
  })
})

describe('domains', () => {
  it('creates a domain with its default, NOT NULL and checks, then its comments', () => {
    const domain = domainOf('public.code', 'text', {
      collation: 'C',
      default: { kind: 'sql', sql: "'A'::text" },
      notNull: true,
      checks: [check('code_upper', '(VALUE = upper(VALUE))', { comment: 'upper' })],
      comment: 'a code',
    })
    const plan = planPostgres([{ kind: 'createDomain', domain }], safePolicy)
    expect(sqlOf(plan)).toEqual([
      'CREATE DOMAIN public.code AS text\n  COLLATE "C"\n  DEFAULT \'A\'::text\n  NOT NULL\n  CONSTRAINT code_upper CHECK ((VALUE = upper(VALUE)))',
      "COMMENT ON CONSTRAINT code_upper ON DOMAIN public.code IS 'upper'",
      "COMMENT ON DOMAIN public.code IS 'a code'",
    ])
    expect(plan.steps[0]?.reverse).toEqual({ sql: 'DROP DOMAIN public.code' })
    expect(plan.steps[0]?.lock).toEqual({ mode: 'none', blocks: 'nothing', on: [] })
  })

  it('alters a domain one respect per statement; new checks and NOT NULL scan the columns that use it', () => {
    const to = domainOf('public.positive', 'int4', {
      default: { kind: 'sql', sql: '1' },
      notNull: true,
      checks: [check('positive_check', '(VALUE >= 1)'), check('positive_small', '(VALUE < 100)')],
    })
    const plan = planPostgres([{ kind: 'alterDomain', from: positive, to }], safePolicy)
    expect(plan.steps.map((s) => [s.sql, 'sql' in s.reverse ? s.reverse.sql : '', s.lock.blocks])).toEqual([
      [
        'ALTER DOMAIN public.positive DROP CONSTRAINT positive_check',
        'ALTER DOMAIN public.positive ADD CONSTRAINT positive_check CHECK ((VALUE > 0))',
        'nothing',
      ],
      ['ALTER DOMAIN public.positive SET DEFAULT 1', 'ALTER DOMAIN public.positive DROP DEFAULT', 'nothing'],
      ['ALTER DOMAIN public.positive SET NOT NULL', 'ALTER DOMAIN public.positive DROP NOT NULL', 'writes'],
      [
        'ALTER DOMAIN public.positive ADD CONSTRAINT positive_check CHECK ((VALUE >= 1))',
        'ALTER DOMAIN public.positive DROP CONSTRAINT positive_check',
        'writes',
      ],
      [
        'ALTER DOMAIN public.positive ADD CONSTRAINT positive_small CHECK ((VALUE < 100))',
        'ALTER DOMAIN public.positive DROP CONSTRAINT positive_small',
        'writes',
      ],
    ])
  })

  it('drops and creates a domain whose base type changes', () => {
    const plan = planPostgres(
      [{ kind: 'alterDomain', from: positive, to: { ...positive, type: { kind: 'integer', bytes: 8 } } }],
      safePolicy,
    )
    expect(sqlOf(plan)).toEqual([
      'DROP DOMAIN public.positive',
      'CREATE DOMAIN public.positive AS bigint\n  CONSTRAINT positive_check CHECK ((VALUE > 0))',
    ])
  })

  it('creates domains before the tables using them and the domains over them; drops them after', () => {
    const codes = domainOf('public.codes', { kind: 'array', element: { kind: 'native', sql: 'public.positive' } })
    const table = tableOf('public.t', [col('n', { kind: 'native', sql: 'public.positive' })])
    const schema = schemaOf({ tables: [table], domains: [codes, positive] })
    const up = sqlOf(planPostgres(diff(schemaOf(), schema).changes, safePolicy))
    expect(up.map((s) => s.split('\n')[0])).toEqual([
      'CREATE DOMAIN public.positive AS integer',
      'CREATE DOMAIN public.codes AS public.positive[]',
      'CREATE TABLE public.t (',
    ])
    const down = sqlOf(planPostgres(diff(schema, schemaOf()).changes, safePolicy))
    expect(down).toEqual(['DROP TABLE public.t', 'DROP DOMAIN public.codes', 'DROP DOMAIN public.positive'])
  })
})

describe('routines', () => {
  it('creates a SQL-language function with body checks off, as pg_dump does; a PL/pgSQL one as it is', () => {
    expect(sqlOf(planPostgres([{ kind: 'createRoutine', routine: countUsers }], safePolicy))).toEqual([
      `SET check_function_bodies = false;\n${countUsers.definition}`,
    ])
    expect(sqlOf(planPostgres([{ kind: 'createRoutine', routine: touch }], safePolicy))).toEqual([touch.definition])
  })

  it('replaces a body in place and reverses to the old body; comments go on their own', () => {
    const to = { ...touch, definition: fn('touch', 'BEGIN RETURN OLD; END'), comment: 'stamps' }
    const plan = planPostgres([{ kind: 'alterRoutine', from: touch, to }], safePolicy)
    expect(plan.steps.map((s) => [s.sql, s.reverse, s.lock.blocks])).toEqual([
      [to.definition, { sql: touch.definition }, 'nothing'],
      [
        "COMMENT ON FUNCTION public.touch() IS 'stamps'",
        { sql: 'COMMENT ON FUNCTION public.touch() IS NULL' },
        'nothing',
      ],
    ])
  })

  it('drops and creates a routine whose result type changes', () => {
    const to = { ...countUsers, returns: 'integer', definition: fn('count_users', ' select 1 ', 'sql', 'integer') }
    const plan = planPostgres([{ kind: 'alterRoutine', from: countUsers, to }], safePolicy)
    expect(sqlOf(plan)).toEqual([
      'DROP FUNCTION public.count_users()',
      `SET check_function_bodies = false;\n${to.definition}`,
    ])
    expect(plan.steps[0]?.reverse).toEqual({ sql: `SET check_function_bodies = false;\n${countUsers.definition}` })
  })

  it('names procedures and aggregates by kind and signature', () => {
    const proc = routineOf(
      'public.bump',
      'CREATE OR REPLACE PROCEDURE public.bump(IN n integer)\n LANGUAGE sql\nAS $$ $$',
      {
        kind: 'procedure',
        identityArgs: 'IN n integer',
      },
    )
    const star = routineOf('public.counter', 'CREATE OR REPLACE AGGREGATE public.counter(*) (...)', {
      kind: 'aggregate',
    })
    const drops = [proc, concatAll, star].map((routine) =>
      sqlOf(planPostgres([{ kind: 'dropRoutine', routine }], safePolicy)),
    )
    expect(drops).toEqual([
      ['DROP PROCEDURE public.bump(IN n integer)'],
      ['DROP AGGREGATE public.concat_all(text)'],
      ['DROP AGGREGATE public.counter(*)'],
    ])
  })

  it('creates functions before tables and aggregates after their support functions; drops them after, in reverse', () => {
    const schema = schemaOf({ tables: [users], routines: [concatAll, step, countUsers] })
    const up = sqlOf(planPostgres(diff(schemaOf(), schema).changes, safePolicy)).map(firstLine)
    expect(up).toEqual([
      'CREATE OR REPLACE FUNCTION public.concat_step(acc text, x text)',
      'CREATE OR REPLACE AGGREGATE public.concat_all(text) (',
      'SET check_function_bodies = false;',
      'CREATE TABLE public.users (',
    ])
    const down = sqlOf(planPostgres(diff(schema, schemaOf()).changes, safePolicy))
    expect(down).toEqual([
      'DROP TABLE public.users',
      'DROP FUNCTION public.count_users()',
      'DROP AGGREGATE public.concat_all(text)',
      'DROP FUNCTION public.concat_step(acc text, x text)',
    ])
  })

  it('waits for the relations a routine signature uses, between the views, and drops it before them', () => {
    const rowType = (name: string, relation: string): Routine =>
      routineOf(`public.${name}`, fn(name, 'BEGIN END', 'plpgsql', `SETOF ${relation}`), {
        returns: `SETOF ${relation}`,
        dependsOn: [{ kind: 'relation', name: { schema: 'public', name: relation } }],
      })
    const v1 = viewOf('public.v1', 'SELECT id FROM users', ['public.users'])
    const v2 = viewOf('public.v2', 'SELECT id FROM v1', ['public.v1'])
    const schema = schemaOf({
      tables: [users],
      views: [v1, v2],
      routines: [rowType('of_users', 'users'), rowType('of_v1', 'v1')],
    })
    const up = sqlOf(planPostgres(diff(schemaOf(), schema).changes, safePolicy)).map(firstLine)
    expect(up).toEqual([
      'CREATE TABLE public.users (',
      'CREATE OR REPLACE FUNCTION public.of_users()',
      'CREATE VIEW public.v1 AS',
      'CREATE OR REPLACE FUNCTION public.of_v1()',
      'CREATE VIEW public.v2 AS',
    ])
    const down = sqlOf(planPostgres(diff(schema, schemaOf()).changes, safePolicy))
    expect(down).toEqual([
      'DROP VIEW public.v2',
      'DROP FUNCTION public.of_v1()',
      'DROP VIEW public.v1',
      'DROP FUNCTION public.of_users()',
      'DROP TABLE public.users',
    ])
  })
})

describe('triggers', () => {
  it('creates a trigger after its table and function, with its state and comment; locks writes on existing tables', () => {
    const trigger = { ...touchUsers, enabled: 'R' as const, comment: 'stamps' }
    const plan = planPostgres([{ kind: 'createTrigger', trigger }], safePolicy)
    expect(plan.steps.map((s) => [s.sql, s.lock])).toEqual([
      [touchUsers.definition, { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [users.name] }],
      [
        'ALTER TABLE public.users ENABLE REPLICA TRIGGER users_touch',
        { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [users.name] },
      ],
      [
        "COMMENT ON TRIGGER users_touch ON public.users IS 'stamps'",
        { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [users.name] },
      ],
    ])
    expect(plan.steps[0]?.reverse).toEqual({ sql: 'DROP TRIGGER users_touch ON public.users' })
  })

  it('drops a trigger under ACCESS EXCLUSIVE, first of all, and recreates it in full on the way back', () => {
    const trigger = { ...touchUsers, enabled: 'D' as const }
    const plan = planPostgres([{ kind: 'dropTrigger', trigger }], safePolicy)
    expect(plan.steps.map((s) => [s.sql, s.reverse, s.lock.mode, s.phase])).toEqual([
      [
        'DROP TRIGGER users_touch ON public.users',
        { sql: `${touchUsers.definition};\nALTER TABLE public.users DISABLE TRIGGER users_touch` },
        'ACCESS EXCLUSIVE',
        'contract',
      ],
    ])
  })

  it('orders a new schema: function, table, trigger; and drops the trigger before table and function', () => {
    const schema = schemaOf({ tables: [users], routines: [touch], triggers: [touchUsers] })
    const up = sqlOf(planPostgres(diff(schemaOf(), schema).changes, safePolicy)).map(firstLine)
    expect(up).toEqual([
      'CREATE OR REPLACE FUNCTION public.touch()',
      'CREATE TABLE public.users (',
      touchUsers.definition,
    ])
    expect(planPostgres(diff(schemaOf(), schema).changes, safePolicy).steps[2]?.lock.blocks).toBe('nothing')
    const down = sqlOf(planPostgres(diff(schema, schemaOf()).changes, safePolicy))
    expect(down).toEqual([
      'DROP TRIGGER users_touch ON public.users',
      'DROP TABLE public.users',
      'DROP FUNCTION public.touch()',
    ])
  })

  it('drops a trigger under its old table name, before the rename, and creates it under the new one after', () => {
    const renamed = { ...users, name: { schema: 'public', name: 'people' }, renamedFrom: users.name }
    const moved = {
      ...touchUsers,
      table: renamed.name,
      definition: 'CREATE TRIGGER users_touch BEFORE UPDATE ON public.people FOR EACH ROW EXECUTE FUNCTION touch()',
    }
    const from = schemaOf({ tables: [users], routines: [touch], triggers: [touchUsers] })
    const to = schemaOf({ tables: [renamed], routines: [touch], triggers: [moved] })
    expect(sqlOf(planPostgres(diff(from, to).changes, safePolicy))).toEqual([
      'DROP TRIGGER users_touch ON public.users',
      'ALTER TABLE public.users RENAME TO people',
      moved.definition,
    ])
  })
})

function firstLine(sql: string): string {
  return sql.split('\n')[0] ?? ''
}
