/**
 * The round trip's pair of seed 896117121, path "45" (test/conformance/round-trip.test.ts), as SQL: two enums
 * recreated in place (mood converts items.c and items.f; state converts nothing, for notes, whose f is a state, is
 * dropped), and a DROP INDEX CONCURRENTLY of orders_f_idx, on orders, which notes and the dropped items key reference.
 * migrate/whole-runs.ts moved the concurrent drop past the recreations with DROP TABLE notes, tied to it by the lock on
 * orders and not counted in the run (its SQL names nothing of state): DROP TYPE state_keel_old then failed with
 * 2BP01, "column f of table notes depends on type state_keel_old". Planned with the safe policy and applied, the
 * start now becomes the goal, and the plan's reverse brings the start back.
 *
 * The second pair (fc.sample of the round trip's pairs, seed 42, pair 2312): state recreated in place, mood given a
 * value (ADD VALUE, outside a transaction), and accounts, with a column of each, dropped. Counted in the run for its
 * state, DROP TABLE accounts tied the ADD VALUE to the run before it by its column of mood (and the views made again
 * after it), so that the plan was refused with error[SPLIT_RUN], where the planner's own order converges.
 */
import { expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS, type TestDialect } from '../../support/databases.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

const start = `CREATE TYPE public.mood AS ENUM ('s', 'p');
CREATE TYPE public.state AS ENUM ('p', 'r', 'q');
CREATE FUNCTION public.is_mood(x mood) RETURNS boolean LANGUAGE sql IMMUTABLE AS $function$ select x = 'p' $function$;
CREATE FUNCTION public.is_state(x state) RETURNS boolean LANGUAGE sql IMMUTABLE AS $function$ select x = 'p' $function$;
CREATE TABLE public.accounts (id bigint NOT NULL, a integer[]);
CREATE TABLE public.orders (
  id bigint NOT NULL,
  a integer NOT NULL,
  b varchar(40) DEFAULT 'x',
  c varchar(80) NOT NULL,
  d text DEFAULT 'x',
  e timestamp with time zone NOT NULL,
  f text,
  g bigint GENERATED ALWAYS AS (a * 3) STORED,
  CONSTRAINT orders_pkey PRIMARY KEY (id)
);
CREATE TABLE public.items (
  id bigint NOT NULL,
  c public.mood,
  f public.mood DEFAULT 'p',
  orders_id bigint,
  CONSTRAINT items_pkey PRIMARY KEY (id),
  CONSTRAINT items_c_key UNIQUE (c),
  CONSTRAINT items_c_check CHECK (c <> 'p'),
  CONSTRAINT items_orders_id_fkey FOREIGN KEY (orders_id) REFERENCES public.orders (id) ON DELETE CASCADE
);
CREATE TABLE public.notes (
  id bigint NOT NULL,
  a timestamp with time zone NOT NULL,
  d varchar(80) NOT NULL,
  f public.state,
  orders_id bigint,
  CONSTRAINT notes_a_key UNIQUE (a),
  CONSTRAINT notes_f_check CHECK (f <> 'p'),
  CONSTRAINT notes_orders_id_fkey FOREIGN KEY (orders_id) REFERENCES public.orders (id) ON DELETE CASCADE
);
CREATE INDEX items_partial_idx ON public.items (id) WHERE c = 'p';
CREATE INDEX notes_lower_idx ON public.notes ((lower(d)));
CREATE INDEX notes_partial_idx ON public.notes (id) WHERE f = 'p';
CREATE INDEX orders_f_idx ON public.orders (f);
CREATE INDEX orders_twice_idx ON public.orders ((a * 2));
CREATE VIEW public.accounts_v AS SELECT id, a FROM public.accounts;
CREATE VIEW public.notes_v AS SELECT id, a, f FROM public.notes;`

const goal = `CREATE TYPE public.mood AS ENUM ('p', 'u');
CREATE TYPE public.state AS ENUM ('p', 'u', 's');
CREATE FUNCTION public.is_state(x state) RETURNS boolean LANGUAGE sql IMMUTABLE AS $function$ select x = 'p' $function$;
CREATE TABLE public.accounts (id bigint NOT NULL, a integer[], CONSTRAINT accounts_pkey PRIMARY KEY (id));
CREATE TABLE public.items (
  id bigint NOT NULL,
  c public.mood,
  f public.mood DEFAULT 'p',
  accounts_id bigint,
  CONSTRAINT items_pkey PRIMARY KEY (id),
  CONSTRAINT items_c_key UNIQUE (c),
  CONSTRAINT items_c_check CHECK (c <> 'p'),
  CONSTRAINT items_accounts_id_fkey FOREIGN KEY (accounts_id) REFERENCES public.accounts (id) ON DELETE CASCADE
);
CREATE TABLE public.orders (
  id bigint NOT NULL,
  a integer DEFAULT 7 NOT NULL,
  b text DEFAULT 'x',
  c text NOT NULL,
  d varchar(80) DEFAULT 'x' NOT NULL,
  f varchar(40),
  g bigint GENERATED ALWAYS AS (a * 3) STORED,
  accounts_id bigint,
  CONSTRAINT orders_pkey PRIMARY KEY (id),
  CONSTRAINT orders_accounts_id_fkey FOREIGN KEY (accounts_id) REFERENCES public.accounts (id) ON DELETE CASCADE
);
CREATE INDEX items_partial_idx ON public.items (id) WHERE c = 'p';
CREATE INDEX orders_twice_idx ON public.orders ((a * 2));
CREATE VIEW public.accounts_v AS SELECT id, a FROM public.accounts;
CREATE VIEW public.accounts_vv AS SELECT id, a FROM public.accounts_v;
CREATE VIEW public.items_v AS SELECT id, f FROM public.items;`

const addValueStart = `CREATE TYPE public.mood AS ENUM ('p');
CREATE TYPE public.state AS ENUM ('s', 'p');
CREATE SEQUENCE public.counter INCREMENT BY 3 MINVALUE -5 MAXVALUE 9007199254740999 START WITH 100;
CREATE FUNCTION public.is_state(x state) RETURNS boolean LANGUAGE sql IMMUTABLE AS $function$ select x <> 'p' $function$;
CREATE TABLE public.accounts (
  id bigint NOT NULL,
  c public.state NOT NULL,
  e public.mood[],
  f date,
  CONSTRAINT accounts_pkey PRIMARY KEY (id),
  CONSTRAINT accounts_c_key UNIQUE (c)
);
CREATE TABLE public.items (
  id bigint NOT NULL,
  a numeric(12,2),
  b numeric(12,2) NOT NULL,
  c text DEFAULT 'x' NOT NULL,
  d public.state,
  e public.mood[] NOT NULL,
  f text,
  h boolean GENERATED ALWAYS AS (d = 'p') STORED,
  CONSTRAINT items_pkey PRIMARY KEY (id),
  CONSTRAINT items_a_key UNIQUE (a)
);
CREATE INDEX accounts_f_idx ON public.accounts (f);
CREATE INDEX accounts_partial_idx ON public.accounts (id) WHERE c = 'p';
CREATE INDEX items_f_idx ON public.items (f);
CREATE INDEX items_lower_idx ON public.items ((lower(c)));
CREATE VIEW public.accounts_v AS SELECT id, c, e FROM public.accounts WHERE c <> 'p';
CREATE MATERIALIZED VIEW public.items_v AS SELECT id, a, e, h FROM public.items;
CREATE VIEW public.items_vv AS SELECT id, a FROM public.items_v;`

const addValueGoal = `CREATE TYPE public.mood AS ENUM ('s', 'p');
CREATE TYPE public.state AS ENUM ('p', 'q');
CREATE SEQUENCE public.ledger_ids INCREMENT BY 3 MINVALUE -5 MAXVALUE 9223372036854775806 START WITH 1;
CREATE FUNCTION public.is_state(x state) RETURNS boolean LANGUAGE sql IMMUTABLE AS $function$ select x <> 'p' $function$;
CREATE TABLE public.items (
  id bigint NOT NULL,
  a smallint DEFAULT 7,
  b bigint DEFAULT 7 NOT NULL,
  c text NOT NULL,
  d public.state NOT NULL,
  e public.mood[] DEFAULT '{p}',
  f varchar(40) DEFAULT 'x',
  h boolean GENERATED ALWAYS AS (d = 'p') STORED,
  CONSTRAINT items_pkey PRIMARY KEY (id),
  CONSTRAINT items_a_key UNIQUE (a)
);
CREATE INDEX items_f_idx ON public.items (f);
CREATE INDEX items_lower_idx ON public.items ((lower(c)));
CREATE VIEW public.items_v AS SELECT id, a, e, h FROM public.items;
CREATE VIEW public.items_vv AS SELECT id, a FROM public.items_v;`

/** Each pair, with statements its plan must hold (the pair's shape) and what failed before. */
const pairs = [
  {
    label: 'a concurrent drop on a table the dropped one references (seed 896117121, path "45")',
    start,
    goal,
    // Before: APPLY_FAILED, 2BP01 column f of table notes depends on type state_keel_old.
    shape: [
      'DROP INDEX CONCURRENTLY public.orders_f_idx',
      'DROP TABLE public.notes',
      'DROP TYPE public.mood_keel_old',
      'DROP TYPE public.state_keel_old',
    ],
  },
  {
    label: 'an ADD VALUE to the type of its other column (seed 42, pair 2312)',
    start: addValueStart,
    goal: addValueGoal,
    // Before (8d60850): error[SPLIT_RUN] while planning.
    shape: [
      "ALTER TYPE public.mood ADD VALUE 's' BEFORE 'p'",
      'DROP TABLE public.accounts',
      'DROP TYPE public.state_keel_old',
    ],
  },
]

/**
 * Plans the pair's start to its goal with the safe policy on `name`, checks the plan holds the pair's shape, applies it
 * (the start becomes the goal) and runs its reverse (the start comes back).
 */
async function convergesAndComesBack(name: TestDialect, pair: (typeof pairs)[number]): Promise<void> {
  await withReusedDatabase(name, async (work) => {
    await withReusedDatabase(name, async (target) => {
      await work.conn.exec(pair.start)
      await target.conn.exec(pair.goal)
      const from = await dialect.introspect(work.conn)
      const to = await dialect.introspect(target.conn)
      const plan = dialect.plan(diff(from, to, [], dialect).changes, safePolicy)
      expect(plan.steps.map((s) => s.sql)).toEqual(expect.arrayContaining(pair.shape))
      await applyPlan(work.conn, plan)
      expect(diff(await dialect.introspect(work.conn), to, [], dialect).changes).toEqual([])
      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`not reversible: ${reverse.irreversible.join('; ')}`)
      await runScript(work.conn, reverse.sql)
      expect(diff(await dialect.introspect(work.conn), from, [], dialect).changes).toEqual([])
    })
  })
}

for (const name of DIALECTS)
  it.each(pairs)(
    `an enum recreated in place beside a dropped table, $label: the safe plan converges (${name})`,
    (pair) => convergesAndComesBack(name, pair),
  )
