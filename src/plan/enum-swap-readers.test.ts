import { beforeAll, describe, expect, it } from 'vitest'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { planPostgres } from '../dialect/postgres/plan.js'
import { quoteIdent } from '../dialect/postgres/quote.js'
import { col, index, nameOf, pk, schemaOf, tableOf } from '../schema/build.js'
import type { Table } from '../schema/model.js'
import { planPhases } from './phases.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => postgresPhaseSql.prepare())

const dialect = { plan: planPostgres, phaseSql: postgresPhaseSql, quoteIdent, defaultNamespace: 'public' }
const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
const m = col('m', { kind: 'enum', enum: nameOf('public.mood') }, { nullable: false, default: "'b'::mood" })
const table = (columns: Table['columns']) =>
  tableOf('public.t', [col('id', 'int8', { nullable: false }), ...columns], { primaryKey: pk('t_pkey', ['id']) })

// Seed 1, pair 80 of the phased round trip, reduced: an enum loses a value (swapped: a twin type, mood_keel_new) while
// a kept table gains a column on it and a generated column comparing that column with the enum. The new column is
// added on the twin, but the generated one kept its cast to the old type, and the expand failed on the server:
// operator does not exist: mood_keel_new = mood.
describe('an enum swap with a new generated column over a new column of the enum', () => {
  const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [table([])] })
  const readers = [
    col('h', 'bool', { generated: { expr: "m = 'b'::mood", stored: true } }),
    // Reads no column of the enum, but casts to it: on the old type it would hold DROP TYPE back at the contract.
    col('label', 'text', { generated: { expr: "('b'::mood)::text", stored: true } }),
  ]
  const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [table([m, ...readers])] })

  it('adds the generated columns in the expand over the twin, which the contract renames to the enum', () => {
    const steps = planPhases(from, to, [], dialect)?.steps ?? []
    const adds = steps.filter((s) => /ADD COLUMN (h|label) /.test(s.sql)).map((s) => `${s.phase}: ${s.sql}`)
    expect(adds).toEqual([
      "expand: ALTER TABLE public.t ADD COLUMN h boolean GENERATED ALWAYS AS (m = 'b'::mood_keel_new) STORED",
      "expand: ALTER TABLE public.t ADD COLUMN label text GENERATED ALWAYS AS (('b'::mood_keel_new)::text) STORED",
    ])
    // Nothing in the expand names the old type in an expression over the twin's column.
    expect(steps.filter((s) => s.phase === 'expand' && /'::mood\b/.test(s.sql)).map((s) => s.sql)).toEqual([])
    // And the contract leaves them be: the twin's rename makes them read as the desired schema has them.
    expect(steps.filter((s) => s.phase === 'contract' && /\b(h|label)\b/.test(s.sql)).map((s) => s.sql)).toEqual([])
  })
})

// A routine taking the enum takes the old type until the contract drops it and makes it again: a generated column
// calling it over a column on the twin failed in the expand (function is_mood(mood_keel_new) does not exist).
describe('an enum swap with a new generated column calling a routine that takes the enum', () => {
  const isMood = {
    name: nameOf('public.is_mood'),
    kind: 'function' as const,
    identityArgs: 'x mood',
    arguments: 'x mood',
    returns: 'boolean',
    definition:
      'CREATE OR REPLACE FUNCTION public.is_mood(x mood)\n RETURNS boolean\n LANGUAGE sql\n IMMUTABLE\nAS $function$ select x is not null $function$',
    dependsOn: [{ kind: 'type' as const, name: nameOf('public.mood') }],
  }
  const ok = col('ok', 'bool', { generated: { expr: 'is_mood(m)', stored: true } })
  const u = (columns: Table['columns']) =>
    tableOf('public.u', [col('id', 'int8', { nullable: false }), ...columns], { primaryKey: pk('u_pkey', ['id']) })
  const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [table([])], routines: [isMood] })
  const to = schemaOf({
    enums: [mood(['b', 'c'])],
    tables: [table([m, ok]), { ...u([m, ok]), indexes: [index('u_ok_idx', ['ok'])] }],
    routines: [isMood],
  })

  it('adds them at the contract, after the routine is made again over the renamed twin', () => {
    const plan = planPhases(from, to, [], dialect)?.steps ?? []
    const steps = plan.map((s) => `${s.phase}: ${s.sql.split('\n')[0]}`)
    const at = (text: string) => {
      const found = plan.findIndex((s) => s.sql.includes(text))
      expect(found, text).toBeGreaterThan(-1)
      return found
    }
    expect(steps.filter((s) => /\bok\b/.test(s))).toEqual([
      'contract: ALTER TABLE public.t ADD COLUMN ok boolean GENERATED ALWAYS AS (is_mood(m)) STORED',
      'contract: ALTER TABLE public.u ADD COLUMN ok boolean GENERATED ALWAYS AS (is_mood(m)) STORED',
      'contract: CREATE INDEX CONCURRENTLY u_ok_idx ON public.u (ok)',
    ])
    expect(plan[at('CREATE TABLE public.u')]?.phase).toBe('expand')
    expect(at('ALTER TYPE public.mood_keel_new RENAME TO mood')).toBeLessThan(at('ADD COLUMN ok'))
    expect(at('CREATE OR REPLACE FUNCTION public.is_mood')).toBeLessThan(at('ADD COLUMN ok'))
  })
})

// Seed 3, pair 5 of the phased round trip, reduced: the contract drops a column of the swapped enum before the swap
// (DROP TYPE would refuse while it exists), but the generated column reading it, dropped too, went only after the swap,
// and DROP COLUMN m failed: cannot drop column m of table t because other objects depend on it (2BP01).
describe('an enum swap that drops a column of the enum and the generated column reading it', () => {
  const h = col('h', 'bool', { generated: { expr: "m = 'b'::mood", stored: true } })
  const k = col('k', { kind: 'enum', enum: nameOf('public.mood') })
  const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [table([k, m, h])] })
  const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [table([k])] })

  it('drops the reader, then the column, then the old type', () => {
    const steps = (planPhases(from, to, [], dialect)?.steps ?? []).map((s) => `${s.phase}: ${s.sql}`)
    expect(steps.filter((s) => /DROP (COLUMN (h|m)\b|TYPE)/.test(s))).toEqual([
      'contract: ALTER TABLE public.t DROP COLUMN h',
      'contract: ALTER TABLE public.t DROP COLUMN m',
      'contract: DROP TYPE public.mood',
    ])
  })
})

// A stored generated column that only casts to the enum holds the old type: DROP TYPE at the contract failed (2BP01).
describe('an enum swap with a generated column that casts to the enum without reading a column of it', () => {
  const g = col('g', 'bool', { generated: { expr: "'b'::mood = 'b'::mood", stored: true } })
  const k = col('k', { kind: 'enum', enum: nameOf('public.mood') })
  const from = schemaOf({ enums: [mood(['a', 'b'])], tables: [table([k, g])] })

  it('drops it before the swap when the desired schema drops it', () => {
    const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [table([k])] })
    const steps = (planPhases(from, to, [], dialect)?.steps ?? []).map((s) => `${s.phase}: ${s.sql}`)
    expect(steps.filter((s) => /DROP (COLUMN g\b|TYPE)/.test(s))).toEqual([
      'contract: ALTER TABLE public.t DROP COLUMN g',
      'contract: DROP TYPE public.mood',
    ])
  })

  it('recreates the enum in place when the desired schema keeps it, and says why', () => {
    const to = schemaOf({ enums: [mood(['b', 'c'])], tables: [table([k, g])] })
    const steps = planPhases(from, to, [], dialect)?.steps ?? []
    expect(steps.some((s) => s.sql.includes('mood_keel_new'))).toBe(false)
    expect(steps.map((s) => s.noOnlineForm).filter((r) => r !== undefined)).toContainEqual(
      expect.stringContaining('public.t.g is a stored generated column whose expression names public.mood'),
    )
  })
})
