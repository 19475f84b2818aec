import { describe, expect, it } from 'vitest'
import { safePolicy } from '../../plan/policy.js'
import { col, routineOf, tableOf } from '../../schema/build.js'
import { emptySchema, type Routine, type Schema } from '../../schema/model.js'
import { calledFunctions, declaresVolatile, defaultIsVolatile, functionsByName } from './default-volatility.js'
import { planPostgres } from './plan.js'

const users = { schema: 'public', name: 'users' }

/** A plpgsql function as pg_get_functiondef prints it, with `volatility` among its attributes ('' for VOLATILE). */
function functionOf(name: string, volatility: '' | 'STABLE' | 'IMMUTABLE'): Routine {
  return routineOf(
    `public.${name}`,
    `CREATE OR REPLACE FUNCTION public.${name}()\n RETURNS integer\n LANGUAGE plpgsql\n${volatility === '' ? '' : ` ${volatility}\n`}AS $function$ begin return 1; end $function$\n`,
    { returns: 'integer' },
  )
}

/** The first step of adding `users.x int DEFAULT <sql>` to an existing table, planned towards a schema with `routines`. */
function addColumnStep(sql: string, routines: readonly Routine[]) {
  const table = tableOf(users, [col('id', 'int8', { nullable: false })])
  const from: Schema = { ...emptySchema, tables: [table], routines }
  const column = col('x', 'int4', { default: sql })
  const to: Schema = { ...from, tables: [{ ...table, columns: [...table.columns, column] }] }
  const plan = planPostgres([{ kind: 'addColumn', table: users, column }], safePolicy, { from, to })
  return plan.steps[0]
}

describe('the planner on a default calling a function of the user', () => {
  it('says ADD COLUMN rewrites the table when the function is VOLATILE, as for gen_random_uuid()', () => {
    const step = addColumnStep('f2()', [functionOf('f2', '')])
    expect(step).toMatchObject({ rewritesTable: true, scansTable: true })
    expect(step?.comment).toBe('Add column x to public.users (rewrites the table)')
  })

  it('says so too for a function it knows nothing of (VOLATILE is what CREATE FUNCTION makes)', () => {
    expect(addColumnStep('public.made_elsewhere(1)', [])).toMatchObject({ rewritesTable: true })
  })

  it('keeps the cheap plan for a STABLE or IMMUTABLE function', () => {
    expect(addColumnStep('public.f2()', [functionOf('f2', 'IMMUTABLE')])).toMatchObject({
      rewritesTable: false,
      scansTable: false,
      comment: 'Add column x to public.users',
    })
    expect(addColumnStep('f2()', [functionOf('f2', 'STABLE')])).toMatchObject({ rewritesTable: false })
  })

  it('takes a function the plan redefines for VOLATILE when either definition is', () => {
    const table = tableOf(users, [col('id', 'int8', { nullable: false })])
    const column = col('x', 'int4', { default: 'f2()' })
    const from: Schema = { ...emptySchema, tables: [table], routines: [functionOf('f2', '')] }
    const to: Schema = {
      ...from,
      tables: [{ ...table, columns: [...table.columns, column] }],
      routines: [functionOf('f2', 'IMMUTABLE')],
    }
    const plan = planPostgres([{ kind: 'addColumn', table: users, column }], safePolicy, { from, to })
    expect(plan.steps[0]).toMatchObject({ rewritesTable: true })
  })

  it('takes the function a plan creates when it is not given the schemas', () => {
    const column = col('x', 'int4', { default: 'f2()' })
    const plan = (routine: Routine) =>
      planPostgres(
        [
          { kind: 'createRoutine', routine },
          { kind: 'addColumn', table: users, column },
        ],
        safePolicy,
      )
    const added = (routine: Routine) => plan(routine).steps.find((s) => s.source.kind === 'addColumn')
    expect(added(functionOf('f2', ''))).toMatchObject({ rewritesTable: true })
    expect(added(functionOf('f2', 'IMMUTABLE'))).toMatchObject({ rewritesTable: false })
  })
})

describe('defaultIsVolatile', () => {
  const routines = functionsByName([functionOf('pure', 'IMMUTABLE'), functionOf('roll', '')])

  it('reads built-in functions from the shared lists and the rest from the schema', () => {
    expect(defaultIsVolatile(`nextval('users_id_seq'::regclass)`, routines)).toBe(true)
    expect(defaultIsVolatile('now()', routines)).toBe(false)
    expect(defaultIsVolatile('(pure() + 1)', routines)).toBe(false)
    expect(defaultIsVolatile('COALESCE(pure(), roll())', routines)).toBe(true)
    expect(defaultIsVolatile('other.pure()', routines)).toBe(true)
    expect(defaultIsVolatile('pg_catalog.now()', undefined)).toBe(false)
  })

  it('reads no call into literals, quoted bodies or type modifiers', () => {
    expect(defaultIsVolatile(`'random()'::text`, routines)).toBe(false)
    expect(defaultIsVolatile(`E'it\\'s roll()'::text`, routines)).toBe(false)
    expect(defaultIsVolatile(`'0'::numeric(10,2)`, routines)).toBe(false)
    expect(defaultIsVolatile(`'x'::character varying(10)`, routines)).toBe(false)
    expect(defaultIsVolatile(`'2020-01-01'::timestamp(3) with time zone`, routines)).toBe(false)
    expect(defaultIsVolatile(`CAST(1 AS numeric(4,1))`, routines)).toBe(false)
    expect(defaultIsVolatile('ARRAY[1, 2]', routines)).toBe(false)
  })

  it('finds each call with its schema', () => {
    expect(calledFunctions(`"My Schema"."Roll"(1)::int + lower('A')::text::public.t(3) + x.y`)).toEqual([
      { schema: 'My Schema', name: 'Roll' },
      { name: 'lower' },
    ])
  })
})

describe('declaresVolatile', () => {
  it('reads the volatility among the attributes, not in the body', () => {
    expect(declaresVolatile(functionOf('f', '').definition)).toBe(true)
    expect(declaresVolatile(functionOf('f', 'STABLE').definition)).toBe(false)
    expect(declaresVolatile(' LANGUAGE sql\n IMMUTABLE STRICT LEAKPROOF\nRETURN (1 + 1)')).toBe(false)
    expect(declaresVolatile(" LANGUAGE sql\nAS $$ select 'immutable' $$")).toBe(true)
    expect(declaresVolatile(' LANGUAGE sql\nBEGIN ATOMIC\n SELECT stable.x FROM stable;\nEND')).toBe(true)
  })

  it('reads no volatility into the name, the arguments or the returned columns', () => {
    // STABLE and IMMUTABLE are unreserved words: pg_get_functiondef prints an argument of that name unquoted.
    const volatile = (signature: string, returns = 'integer') =>
      `CREATE OR REPLACE FUNCTION ${signature}\n RETURNS ${returns}\n LANGUAGE sql\nAS $function$select 1$function$\n`
    expect(declaresVolatile(volatile('public.f(stable integer)'))).toBe(true)
    expect(declaresVolatile(volatile('public.f(immutable integer DEFAULT 1)'))).toBe(true)
    expect(declaresVolatile(volatile('public.stable()'))).toBe(true)
    expect(declaresVolatile(volatile('immutable.f()'))).toBe(true)
    expect(declaresVolatile(volatile('public.f()', 'TABLE(stable integer)'))).toBe(true)
    expect(
      declaresVolatile(volatile('public.stable(immutable integer)').replace(' LANGUAGE sql', ' LANGUAGE sql\n STABLE')),
    ).toBe(false)
  })
})
