/**
 * The round trip's pair of seed 896117121, path "45" (test/conformance/round-trip.test.ts), as SQL: two enums
 * recreated in place (mood converts items.c and items.f; state converts nothing, for notes, whose f is a state, is
 * dropped), and a DROP INDEX CONCURRENTLY of orders_f_idx, on orders, which notes and the dropped items key reference.
 * migrate/whole-runs.ts moved the concurrent drop past the recreations with DROP TABLE notes, tied to it by the lock on
 * orders and not counted in the run (its SQL names nothing of state): DROP TYPE state_keel_old then failed with
 * 2BP01, "column f of table notes depends on type state_keel_old". Planned with the safe policy and applied, the
 * start now becomes the goal, and the plan's reverse brings the start back.
 */
import { expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')

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

for (const name of DIALECTS)
  it(`an enum recreated in place beside a dropped table of another: the safe plan converges (${name})`, async () => {
    await withDatabase(name, async (work) => {
      await withDatabase(name, async (target) => {
        await work.conn.exec(start)
        await target.conn.exec(goal)
        const from = await dialect.introspect(work.conn)
        const to = await dialect.introspect(target.conn)
        const plan = dialect.plan(diff(from, to, [], dialect).changes, safePolicy)
        // The shape of the pair: the concurrent drop, the table holding a state, both recreations.
        expect(plan.steps.map((s) => s.sql)).toEqual(
          expect.arrayContaining([
            'DROP INDEX CONCURRENTLY public.orders_f_idx',
            'DROP TABLE public.notes',
            'DROP TYPE public.mood_keel_old',
            'DROP TYPE public.state_keel_old',
          ]),
        )
        // Before the fix: APPLY_FAILED, 2BP01 column f of table notes depends on type state_keel_old.
        await applyPlan(work.conn, plan)
        expect(diff(await dialect.introspect(work.conn), to, [], dialect).changes).toEqual([])
        const reverse = reversePlan(plan)
        if (!('sql' in reverse)) throw new Error(`not reversible: ${reverse.irreversible.join('; ')}`)
        await runScript(work.conn, reverse.sql)
        expect(diff(await dialect.introspect(work.conn), from, [], dialect).changes).toEqual([])
      })
    })
  })
