/**
 * A partition detached for good, beside a column of its partitioned table retyped in phases. PostgreSQL leaves the
 * partition its copies of the parent's primary key, unique constraints, indexes and foreign keys on DETACH; the
 * model leaves them out of a partition, and the differ did not add them to the detached side as it adds the parent's
 * columns: the plan added the desired table's primary key again after the detach (42P07, m2_pkey exists; the
 * one-migration plan too), and, when the detached table was retyped as well, the phase planner found no key to
 * backfill it by (BACKFILL_NO_KEY). PostgreSQL 15 and PGlite, applied phase after phase with writes in between.
 * Expression indexes' copies too (below), which were still left out: the plan created them again (42P07).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { applyPhasedPlan } from '../../../src/migrate/backfill/apply-phased-plan.js'
import { planPhases } from '../../../src/plan/phases.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')
beforeAll(() => dialect.phaseSql?.prepare())
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const START = `create table r (id int primary key);
insert into r values (1), (2), (3), (4), (5), (6);
create table m (id int not null, k int not null, n int, u int, primary key (id, k), unique (u, k),
  constraint m_r foreign key (id) references r (id)) partition by range (k);
create index m_u on m (u) include (id);
create table m1 partition of m for values from (0) to (10);
create table m2 partition of m for values from (10) to (20);
insert into m values (1, 1, 10, 1), (2, 15, 20, 2);`

/** The parent retyped, m2 standalone with the keys it had as a partition, under the names PostgreSQL gave them. */
const goal = (m2Type: string) => `create table r (id int primary key);
create table m (id int not null, k int not null, n bigint, u int, primary key (id, k), unique (u, k),
  constraint m_r foreign key (id) references r (id)) partition by range (k);
create index m_u on m (u) include (id);
create table m1 partition of m for values from (0) to (10);
create table m2 (id int not null, k int not null, n ${m2Type}, u int, constraint m2_pkey primary key (id, k),
  constraint m2_u_k_key unique (u, k), constraint m_r foreign key (id) references r (id));
create index m2_u_id_idx on m2 (u) include (id);`

describe.each(DIALECTS)('a partition detached beside a retype of its parent on %s', (name) => {
  it.each(['int', 'bigint'])(
    'keeps its keys and every row written between the phases (m2.n %s)',
    { timeout: 120_000 },
    async (m2Type) => {
      await withReusedDatabase(name, async ({ conn }) => {
        await withReusedDatabase(name, async ({ conn: goalConn }) => {
          await conn.exec(START)
          await goalConn.exec(goal(m2Type))
          const from = await dialect.introspect(conn)
          const to = await dialect.introspect(goalConn)
          const phaseDialect = phaseDialectOf(dialect)
          if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
          const plan = planPhases(from, to, [], phaseDialect)
          if (plan === undefined) throw new Error('the change is not phased')
          const phase = (p: string) => ({ ...plan, steps: plan.steps.filter((s) => s.phase === p) })

          await applyPhasedPlan(conn, phase('expand'))
          // The old release writes n through the parent and the detached table alike; the new release writes n_keel_new.
          await conn.exec(`insert into m (id, k, n, u) values (3, 2, 30, 3); insert into m2 (id, k, n, u) values (4, 16, 40, 4);
            update m set n = 11 where id = 1`)
          await applyPhasedPlan(conn, phase('backfill'))
          await conn.exec(`insert into m (id, k, n, u) values (5, 3, 50, 5); update m2 set n = 21 where id = 2;
            insert into m2 (id, k, n, u) values (6, 17, 60, 6)`)
          await applyPhasedPlan(conn, phase('contract'))

          expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
          expect(await conn.query('select id, k, n::int as n from m order by id')).toEqual([
            { id: 1, k: 1, n: 11 },
            { id: 3, k: 2, n: 30 },
            { id: 5, k: 3, n: 50 },
          ])
          expect(await conn.query('select id, k, n::int as n from m2 order by id')).toEqual([
            { id: 2, k: 15, n: 21 },
            { id: 4, k: 16, n: 40 },
            { id: 6, k: 17, n: 60 },
          ])
        })
      })
    },
  )

  it('is detached by the one-migration plan too, its keys kept', { timeout: 120_000 }, async () => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(START)
        await goalConn.exec(goal('int').replace('n bigint', 'n int'))
        const to = await dialect.introspect(goalConn)
        const plan = dialect.plan(diff(await dialect.introspect(conn), to, [], dialect).changes, safePolicy)
        expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE public.m DETACH PARTITION public.m2'])
        await applyPlan(conn, plan)
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
      })
    })
  })
})

/**
 * The parent's expression indexes: PostgreSQL leaves their copies on the detached partition too, under names it derives
 * from the expression as first written (lower(t): _lower_idx; an operator: _expr_idx), which the model read from the
 * catalog (expressionIndexCopies). Without them the plan created them again after the DETACH (42P07).
 */
const EXPRESSIONS = `create table e (id int not null, k int not null, t text, u text, primary key (id, k)) partition by range (k);
create index e_l on e (lower(t));
create index e_w on e (lower(u), id) where id > 0;
create index e_x on e ((t || u));
create index e_c on e (((t)::varchar(20)));
create index e_i on e (upper(t)) include (id);
create table e1 partition of e for values from (0) to (10);
create table e2 partition of e for values from (10) to (20) partition by range (k);
create table e2a partition of e2 for values from (10) to (15);`

const EXPRESSIONS_DETACHED = (eType: string) => `create table e (id int not null, k int not null, t ${eType}, u text,
  primary key (id, k)) partition by range (k);
create index e_l on e (lower(t));
create index e_w on e (lower(u), id) where id > 0;
create index e_x on e ((t || u));
create index e_c on e (((t)::varchar(20)));
create index e_i on e (upper(t)) include (id);
create table e1 partition of e for values from (0) to (10);
create table e2 (id int not null, k int not null, t text, u text, constraint e2_pkey primary key (id, k))
  partition by range (k);
create index e2_lower_idx on e2 (lower(t));
create index e2_lower_id_idx on e2 (lower(u), id) where id > 0;
create index e2_expr_idx on e2 ((t || u));
create index e2_t_idx on e2 (((t)::varchar(20)));
create index e2_upper_id_idx on e2 (upper(t)) include (id);
create table e2a partition of e2 for values from (10) to (15);`

describe.each(DIALECTS)('a partition detached for good with its expression indexes on %s', (name) => {
  it.each([
    ['alone', 'text'],
    ['beside a phased retype of its parent', 'varchar(30)'],
  ])('keeps their copies, under their names (%s)', { timeout: 120_000 }, async (_, eType) => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goalConn }) => {
        await conn.exec(`${EXPRESSIONS}\ninsert into e values (1, 1, 'A', 'b'), (2, 12, 'C', 'd');`)
        await goalConn.exec(EXPRESSIONS_DETACHED(eType))
        const from = await dialect.introspect(conn)
        const to = await dialect.introspect(goalConn)
        const onePlan = dialect.plan(diff(from, to, [], dialect).changes, safePolicy)
        if (eType === 'text') {
          expect(onePlan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE public.e DETACH PARTITION public.e2'])
          await applyPlan(conn, onePlan)
        } else {
          const phaseDialect = phaseDialectOf(dialect)
          if (phaseDialect === undefined) throw new Error('PostgreSQL plans in phases')
          const plan = planPhases(from, to, [], phaseDialect)
          if (plan === undefined) throw new Error('the change is not phased')
          await applyPhasedPlan(conn, plan)
        }
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
        expect(await conn.query('select id, k, t::text as t from e order by id')).toEqual([{ id: 1, k: 1, t: 'A' }])
        expect(await conn.query('select id, k, t from e2 order by id')).toEqual([{ id: 2, k: 12, t: 'C' }])
      })
    })
  })
})
