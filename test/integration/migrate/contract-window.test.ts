import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { runtimeOf } from '../../../src/dialect/runtimes.js'
import { diff } from '../../../src/diff/diff.js'
import { parseDirectives } from '../../../src/migrate/directives.js'
import { groupStatements, prepareStatements, unitStatements } from '../../../src/migrate/prepare-statements.js'
import { migrate } from '../../../src/migrate/runner.js'
import type { Schema } from '../../../src/schema/model.js'
import { DIALECTS } from '../../support/databases.js'
import { disposeTargets, type Target, useProject, withTarget } from './project.js'
import { renderPhased } from './render-phased.js'

// Planning phases reads expressions with the parser, which the commands load first (PhaseSql.prepare).
beforeAll(() => getDialect('postgres').phaseSql?.prepare())

// Issue 7: the contract of a retyped column that a view reads and a check guards. DROP COLUMN takes the view (which
// must go first) and the check with it; they come back after the swap. Between two commits of the runner no other
// session may find the view missing or the check unenforced: so the swap, the view's CREATE and the check's
// ADD ... NOT VALID are one transaction, and only the validation and the concurrent index build run apart.
//
// The proof is structural, at every commit boundary of the real runner (no timing): the runner's connection is
// wrapped so that after each of its calls, when no transaction is open on it (SAVEPOINT fails), another session (on
// PGlite, the one session) reads the view, and once the column is swapped, tries a write the check refuses.
const project = useProject()
afterAll(() => disposeTargets())

const SETUP = `
create table orders (id bigint primary key, amount int not null check (amount > 0), note text);
create index orders_double_idx on orders ((amount * 2));
create view big_orders as select o.id, o.amount from orders o where o.amount > 100;
insert into orders select g, g * 10, 'n' || g from generate_series(1, 300) g;
`

/** The goal: orders.amount widened to bigint; the view, the check and the expression index as they are. */
function goalOf(from: Schema): Schema {
  return {
    ...from,
    tables: from.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'amount' ? { ...c, type: { kind: 'integer', bytes: 8 } as const } : c)),
    })),
  }
}

/** What the probes saw, boundary by boundary. */
interface Seen {
  boundaries: number
  afterSwap: { readonly validated: boolean; readonly refused: string | undefined }[]
  errors: string[]
}

/**
 * `conn` for the runner, with `probe` run after each of its calls that leaves no transaction open on it (a commit, a
 * statement run alone, a journal read): every state another session can ever see.
 */
function probing(conn: Connection, probe: () => Promise<void>): Connection {
  const inTransaction = runtimeOf(conn.dialect).runner.inTransaction as (c: Connection) => Promise<boolean>
  const after = async <T>(result: T): Promise<T> => {
    if (!(await inTransaction(conn))) await probe()
    return result
  }
  return {
    dialect: conn.dialect,
    exclusive: conn.exclusive,
    description: conn.description,
    query: async (sql, params) => after(await conn.query(sql, params)),
    exec: async (sql) => after(await conn.exec(sql)),
    transaction: async (fn) => after(await conn.transaction(fn)),
    close: () => conn.close(),
  }
}

/** Reads the view; once orders.amount is bigint, tries a row the check (and NOT NULL) must refuse. */
async function probeOn(reader: Connection, seen: Seen): Promise<void> {
  seen.boundaries++
  try {
    await reader.query('select count(*) from big_orders')
  } catch (error) {
    seen.errors.push(`boundary ${seen.boundaries}: ${(error as Error).message}`)
  }
  const [type] = await reader.query<{ t: string }>(
    "select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'orders'::regclass and attname = 'amount'",
  )
  if (type?.t !== 'bigint') return
  const [check] = await reader.query<{ v: boolean }>(
    "select convalidated as v from pg_constraint where conname = 'orders_amount_check' and conrelid = 'orders'::regclass",
  )
  const refused = await reader
    .exec("insert into orders (id, amount, note) values (100000, -1, 'breaks the check')")
    .then(
      () => undefined,
      (error: { code?: string }) => error.code,
    )
  const nulls = await reader.exec('insert into orders (id, amount) values (100001, null)').then(
    () => undefined,
    (error: { code?: string }) => error.code,
  )
  seen.afterSwap.push({
    validated: check?.v === true,
    refused: refused === undefined ? undefined : `${refused}/${nulls}`,
  })
}

describe.each(DIALECTS)('the contract of a column a view reads and a check guards, on %s', (dialect) => {
  it('one transaction swaps the column and brings back the view and the check: no boundary misses either', {
    timeout: 120_000,
  }, async () => {
    await withTarget(dialect, async ({ conn, options }: Target) => {
      await conn.exec(SETUP)
      const { dialect: d, goal, rendered } = await renderPhased(conn, goalOf)
      // The concurrent build is a contract migration of its own, after the one that swaps.
      expect(rendered.map((m) => [m.phase, m.noTransaction])).toEqual([
        ['expand', false],
        ['backfill', true],
        ['contract', false],
        ['contract', true],
      ])
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_widen_${m.phase}`, m.files)

      // The generated contract, as the runner groups it: the swap's transaction holds the view's drop and CREATE and
      // the check's NOT VALID; the validations run after it, apart, and the concurrent build in the next migration.
      const contract = rendered[2]?.files['up.sql'] as string
      const statements = await prepareStatements('up.sql', contract, conn.dialect)
      const units = groupStatements(statements, parseDirectives(contract, 'up.sql').noTransaction)
      const swap = units.find((u) => unitStatements(u).some((s) => /DROP COLUMN amount/.test(s.sql)))
      expect(swap?.kind).toBe('transaction')
      const inSwap = unitStatements(swap ?? { kind: 'transaction', statements: [] }).map((s) => s.sql.split('\n')[0])
      expect(inSwap).toEqual(
        expect.arrayContaining([
          'DROP VIEW public.big_orders',
          'ALTER TABLE public.orders RENAME COLUMN amount_keel_new TO amount',
          'ALTER TABLE public.orders ADD CONSTRAINT orders_amount_check CHECK ((amount > 0)) NOT VALID',
          'CREATE VIEW public.big_orders AS',
        ]),
      )
      expect(inSwap.some((s) => /VALIDATE|CONCURRENTLY/.test(s ?? ''))).toBe(false)
      const apart = units.slice(units.indexOf(swap as (typeof units)[number]) + 1).flatMap(unitStatements)
      expect(apart.map((s) => s.sql)).toEqual([
        'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_amount_keel_nn',
        'ALTER TABLE public.orders ALTER COLUMN amount SET NOT NULL',
        'ALTER TABLE public.orders DROP CONSTRAINT orders_amount_keel_nn',
        'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_amount_check',
      ])
      expect(rendered[3]?.steps.map((s) => s.sql)).toEqual([
        'CREATE INDEX CONCURRENTLY orders_double_idx ON public.orders (((amount * 2)))',
      ])

      // The runner applies all four, probed at every boundary.
      const seen: Seen = { boundaries: 0, afterSwap: [], errors: [] }
      let outcome = ''
      const reader = dialect === 'pglite' ? conn : await openDatabase(options.url)
      try {
        const runnerConn = dialect === 'pglite' ? conn : await openDatabase(options.url)
        try {
          // A probe's row that the check should have refused would fail the validation later: what the probes saw
          // is asserted first, as the reason.
          outcome = await migrate({
            url: options.url,
            migrationsDir: project.migrations,
            connection: probing(runnerConn, () => probeOn(reader, seen)),
          }).then(
            () => 'applied',
            (error: Error) => error.message,
          )
        } finally {
          if (runnerConn !== conn) await runnerConn.close()
        }
      } finally {
        if (reader !== conn) await reader.close()
      }

      expect(seen.errors).toEqual([])
      // Right after the swap's commit the check is the one added NOT VALID (validated later, apart) and it refuses
      // the bad row, as NOT NULL's does the null one (23514 check_violation; 23502 once SET NOT NULL ran).
      expect(seen.afterSwap[0]).toEqual({ validated: false, refused: '23514/23514' })
      expect(seen.afterSwap.every((s) => s.refused !== undefined && !s.refused.includes('undefined'))).toBe(true)
      expect(seen.afterSwap.at(-1)?.validated).toBe(true)
      expect(seen.boundaries).toBeGreaterThan(seen.afterSwap.length)
      expect(outcome).toBe('applied')

      expect(diff(await d.introspect(conn, { excludeTables: ['public.keel_migrations'] }), goal).changes).toEqual([])
      expect(
        await conn.query(
          'select count(*)::int as n, sum(amount)::text as s, pg_typeof(sum(amount))::text as t from big_orders',
        ),
      ).toEqual([{ n: 290, s: '450950', t: 'numeric' }])
    })
  })
})
