/**
 * A domain whose base type changes (int → bigint) while a column, another domain or a routine uses it. PostgreSQL
 * cannot alter a domain's base type: the plan dropped it to create it anew, and the drop failed on the server (2BP01)
 * after planning had succeeded (keel push stopped there; keel generate wrote a migration keel migrate could not
 * apply). Now the differ refuses it with error[DOMAIN_IN_USE], naming the users; and the way out its hint gives (a
 * domain of another name, the column moved to it) is phased online with every row. PostgreSQL 15 and PGlite.
 * A view, a default, a check and an index that cast to the domain, and a column moved to a domain over it in the same
 * change, hold it too (a column moved off it otherwise is retyped before the drop: domain-leavers.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { KeelError } from '../../../src/errors.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const errorOf = (fn: () => unknown): KeelError | undefined => {
  try {
    fn()
  } catch (error) {
    if (error instanceof KeelError) return error
    throw error
  }
  return undefined
}

const USERS = {
  'a column': ['create table t (id int primary key, x d1);', 'column public.t.x'],
  'a domain over it': ['create domain d2 as d1;', 'domain public.d2'],
  'a routine': ["create function f(v d1) returns int language sql as 'select v + 1';", 'routine public.f'],
  // A cast in its SELECT: the view depends on the type, which the model's view does not list.
  'a view': [
    'create table t (id int primary key, a int); create view v as select id, a::d1 as x from t;',
    'view public.v',
  ],
  'a default': ['create table t (id int primary key, a int default (1::d1));', 'the default of column public.t.a'],
  // Its text the same over int and bigint: kept as it is. (b::d1 > 0 reads ((b)::d1)::integer > 0, changed with the
  // base type: dropped before the domain and added again after, which domain-in-use-gone.test.ts applies.)
  'a check': [
    'create table t (id int primary key, b int constraint b_ok check (b::d1 is not null));',
    'check b_ok of public.t',
  ],
  'an index': ['create table t (id int primary key, b int); create index t_b on t ((b::d1));', 'index t_b of public.t'],
} as const

describe.each(DIALECTS)('a domain whose base type changes on %s', (name) => {
  it.each(Object.entries(USERS))(
    'is refused with DOMAIN_IN_USE while %s uses it',
    { timeout: 120_000 },
    async (_, [user, named]) => {
      await withReusedDatabase(name, async ({ conn }) => {
        await withReusedDatabase(name, async ({ conn: goal }) => {
          await conn.exec(`create domain d1 as int;\n${user}`)
          await goal.exec(`create domain d1 as bigint;\n${user}`)
          const from = await dialect.introspect(conn)
          const to = await dialect.introspect(goal)
          // What the plan did, refused by the server.
          await expect(conn.exec('drop domain d1')).rejects.toThrow(/depend/)
          const error = errorOf(() => diff(from, to, [], dialect))
          expect(error?.code).toBe('DOMAIN_IN_USE')
          expect(error?.message).toContain(`cannot change the base type or collation of domain public.d1`)
          expect(error?.message).toContain(named)
        })
      })
    },
  )

  // A column moved off it is retyped before the drop (domain-leavers.test.ts), but not onto a domain over it, which
  // can only be made once the domain is made anew.
  it('is refused with DOMAIN_IN_USE while a column moved to a domain over it in the same change uses it', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec('create domain d1 as int; create table t (id int primary key, x d1);')
        await goal.exec(
          'create domain d1 as bigint; create domain d2 as d1; create table t (id int primary key, x d2);',
        )
        const [from, to] = [await dialect.introspect(conn), await dialect.introspect(goal)]
        const error = errorOf(() => diff(from, to, [], dialect))
        expect(error?.code).toBe('DOMAIN_IN_USE')
        expect(error?.message).toContain('column public.t.x')
      })
    })
  })

  // Each domain made anew would have to come before the other: the second drop failed with 2BP01.
  it('is refused with DOMAIN_IN_USE while a column moves to another domain made anew', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec('create domain d1 as int; create domain d2 as int; create table t (id int primary key, x d1);')
        await goal.exec(
          'create domain d1 as bigint; create domain d2 as bigint; create table t (id int primary key, x d2);',
        )
        const [from, to] = [await dialect.introspect(conn), await dialect.introspect(goal)]
        const error = errorOf(() => diff(from, to, [], dialect))
        expect(error?.code).toBe('DOMAIN_IN_USE')
        expect(error?.message).toContain('column public.t.x')
      })
    })
  })

  it('is changed in place when nothing uses it, and the column moved to a new domain is phased with every row', {
    timeout: 120_000,
  }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(`create domain d1 as int; create domain spare as int;
          create table t (id int primary key, x d1); insert into t values (1, 1), (2, 2);`)
        await goal.exec(`create domain d1 as int; create domain spare as bigint; create domain d1_big as bigint;
          create table t (id int primary key, x d1_big);`)
        const to = await dialect.introspect(goal)
        const phaseDialect = phaseDialectOf(dialect)
        if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
        const plan = planPhases(await dialect.introspect(conn), to, [], phaseDialect)
        if (plan === undefined) throw new Error('the change is not phased')
        await applyPhasedPlan(conn, plan)
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, x::int as x from t order by id')).toEqual([
          { id: 1, x: 1 },
          { id: 2, x: 2 },
        ])
      })
    })
  })
})
