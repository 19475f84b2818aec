import { beforeAll, describe, expect, it } from 'vitest'
import { phasesDialect as dialect, outline, users } from '../../test/support/phases-plan.js'
import { postgresPhaseSql } from '../dialect/postgres/phase-sql.js'
import { col, nameOf, schemaOf, tableOf } from '../schema/build.js'
import { planPhases } from './phases.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => postgresPhaseSql.prepare())

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
})
