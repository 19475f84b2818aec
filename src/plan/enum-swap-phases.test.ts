import { beforeAll, describe, expect, it } from 'vitest'
import { phasesDialect as dialect, outline, users } from '../../test/support/phases-plan.js'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { col, domainOf, nameOf, pk, routineOf, schemaOf, tableOf } from '../schema/build.js'
import type { ColumnType } from '../schema/model.js'
import { planPhases } from './phases.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => postgresPhaseSql.prepare())

describe('planPhases: an enum that loses a value', () => {
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

  // A domain over the enum keeps it from being swapped: its recreation in place rewrote the table, and generate could
  // only say that Keel had no online plan for it.
  it('says why an enum under a domain is recreated in place', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const table = users([col('m', { kind: 'enum', enum: nameOf('public.mood') })])
    const domains = [domainOf('public.moodd', { kind: 'enum', enum: nameOf('public.mood') })]
    const from = schemaOf({ enums: [mood(['a', 'b'])], domains, tables: [table] })
    const to = schemaOf({ enums: [mood(['b', 'c'])], domains, tables: [table] })
    const blocking = planPhases(from, to, [], dialect)?.steps.filter((s) => s.rewritesTable) ?? []
    expect(blocking.map((s) => [s.phase, s.sql, s.noOnlineForm])).toEqual([
      [
        'contract',
        'ALTER TABLE public.users ALTER COLUMN m TYPE public.mood USING m::text::public.mood',
        expect.stringMatching(/^domain public\.moodd is over enum public\.mood: PostgreSQL cannot move a domain/),
      ],
    ])
  })

  // A renamed column of the enum is kept in step with its old name on the old type: converted in place at the contract,
  // a rewrite of the table that the plan said nothing of.
  it('says why the enum is converted in place under a column renamed from a column of the enum', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const renamed = { ...col('m', { kind: 'enum', enum: nameOf('public.mood') }), renamedFrom: 'old' }
    const from = schemaOf({
      enums: [mood(['a', 'b'])],
      tables: [users([col('old', { kind: 'enum', enum: nameOf('public.mood') })])],
    })
    const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [users([renamed])] })
    const blocking = planPhases(from, to, [], dialect)?.steps.filter((s) => s.rewritesTable) ?? []
    expect(blocking.map((s) => [s.phase, s.sql, s.noOnlineForm])).toEqual([
      [
        'contract',
        'ALTER TABLE public.users ALTER COLUMN m TYPE public.mood USING m::text::public.mood',
        expect.stringMatching(/^public\.users\.m is renamed from old, which the trigger keeps in step with it/),
      ],
    ])
  })

  // Renamed from a column of another type, it is filled one way (a cast), so it can be on the twin: it was on the old
  // type, and the enum converted in place.
  it('swaps the enum under a column of it renamed from a text column', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const renamed = { ...col('m', { kind: 'enum', enum: nameOf('public.mood') }), renamedFrom: 'old' }
    const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [users([col('old', 'text')])] })
    const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [users([renamed])] })
    const plan = planPhases(from, to, [], dialect)
    expect(plan?.steps.filter((s) => s.rewritesTable)).toEqual([])
    expect(outline(plan)?.filter((s) => !s.includes('keel_sync'))).toEqual([
      "expand: CREATE TYPE public.mood_keel_new AS ENUM ('b', 'c')",
      "expand: ALTER TYPE public.mood ADD VALUE 'c' AFTER 'b'",
      'expand: ALTER TABLE public.users ADD COLUMN m public.mood_keel_new',
      'backfill: UPDATE public.users SET m = (old::public.mood_keel_new) WHERE m IS NULL',
      'contract: DROP TYPE public.mood',
      'contract: ALTER TYPE public.mood_keel_new RENAME TO mood',
      'contract: ALTER TABLE public.users DROP COLUMN old',
    ])
  })

  // A default that calls a routine taking the enum has the old type until the contract makes the routine again: on a
  // new column of the twin it failed (42804: column is of type mood_keel_new but default expression is of type mood),
  // so the enum was recreated in place, a rewrite of every table of it under ACCESS EXCLUSIVE with nothing said why.
  describe('a new column of the enum whose default calls a routine taking it', () => {
    const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
    const pick = routineOf(
      'public.pick',
      'CREATE OR REPLACE FUNCTION public.pick(x mood)\n RETURNS mood\n LANGUAGE sql\n IMMUTABLE\nAS $function$ select x $function$',
      { identityArgs: 'x mood', dependsOn: [{ kind: 'type', name: nameOf('public.mood') }] },
    )
    const m = col('m', { kind: 'enum', enum: nameOf('public.mood') })
    const picked = (name: string, type: ColumnType, sql = "pick('b'::mood)") =>
      col(name, type, { default: { kind: 'sql', sql } })
    const mine = tableOf('public.mine', [col('id', 'int8', { nullable: false }), picked('m2', m.type)], {
      primaryKey: pk('mine_pkey', ['id']),
    })
    const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [users([m])], routines: [pick] })
    const to = schemaOf({
      enums: [mood(['b', 'c'])],
      tables: [
        users([m, picked('m2', m.type), picked('ms', { kind: 'array', element: m.type }, "ARRAY[pick('b'::mood)]")]),
        mine,
      ],
      routines: [pick],
    })

    it("swaps the enum: the column takes the routine's value through text until the contract sets its default", () => {
      const plan = planPhases(from, to, [], dialect)
      expect(plan?.steps.filter((s) => s.rewritesTable)).toEqual([])
      expect(outline(plan)?.filter((s) => /\bm[2s]\b|pick|TYPE|mine|check_function_bodies/.test(s))).toEqual([
        "expand: CREATE TYPE public.mood_keel_new AS ENUM ('b', 'c')",
        "expand: ALTER TYPE public.mood ADD VALUE 'c' AFTER 'b'",
        'expand: CREATE TABLE public.mine (',
        "expand: ALTER TABLE public.users ADD COLUMN m2 public.mood_keel_new DEFAULT (pick('b'::mood))::text::public.mood_keel_new",
        "expand: ALTER TABLE public.users ADD COLUMN ms public.mood_keel_new[] DEFAULT (ARRAY[pick('b'::mood)])::text::public.mood_keel_new[]",
        // Taken away before the routine and the type it names, in the swap's transaction, and set again after.
        'contract: ALTER TABLE public.mine ALTER COLUMN m2 DROP DEFAULT',
        'contract: ALTER TABLE public.users ALTER COLUMN m2 DROP DEFAULT',
        'contract: ALTER TABLE public.users ALTER COLUMN ms DROP DEFAULT',
        'contract: DROP FUNCTION public.pick(x mood)',
        'contract: DROP TYPE public.mood',
        'contract: ALTER TYPE public.mood_keel_new RENAME TO mood',
        'contract: SET check_function_bodies = false;',
        "contract: ALTER TABLE public.mine ALTER COLUMN m2 SET DEFAULT pick('b'::mood)",
        "contract: ALTER TABLE public.users ALTER COLUMN m2 SET DEFAULT pick('b'::mood)",
        "contract: ALTER TABLE public.users ALTER COLUMN ms SET DEFAULT ARRAY[pick('b'::mood)]",
      ])
      expect(plan?.steps.find((s) => s.sql.includes('CREATE OR REPLACE FUNCTION public.pick'))?.phase).toBe('contract')
      const create = plan?.steps.find((s) => s.sql.startsWith('CREATE TABLE public.mine'))
      expect(create?.sql).toContain("m2 public.mood_keel_new DEFAULT (pick('b'::mood))::text::public.mood_keel_new")
    })
  })
})
