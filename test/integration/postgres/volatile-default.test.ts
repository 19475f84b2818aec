/**
 * ADD COLUMN with a default calling a user's function, end to end: PostgreSQL rewrites the table for a VOLATILE
 * function (CREATE FUNCTION's default) and stores the value of an IMMUTABLE one in the catalog. The plan must say
 * which, as it does for gen_random_uuid(): a plan promising no rewrite while the server rewrites the table under
 * ACCESS EXCLUSIVE blocks writers the author was told would not wait. The table's file (relfilenode) tells what the
 * server did; the rows tell that none was lost.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS } from '../../support/databases.js'
import { emptiedBeforeEach } from '../../support/emptied-databases.js'

const dialect = getDialect('postgres')

const START = `
create sequence tickets;
create function next_ticket() returns integer language plpgsql as $$ begin return nextval('tickets'); end $$;
create function seven() returns integer language sql immutable as $$ select 7 $$;
create table items (id integer primary key, name text not null);
insert into items select i, 'item ' || i from generate_series(1, 5) i;
`

async function fileOf(conn: Connection): Promise<string> {
  const rows = await conn.query<{ file: string }>(`select pg_relation_filenode('items')::text as file`)
  return rows[0]?.file ?? ''
}

describe.each(DIALECTS)('a default calling a function of the user on %s', (name) => {
  const databases = emptiedBeforeEach(name, 2)

  /** Plans and applies on the live database the column `column` the target database adds to items. */
  async function addColumn(column: string) {
    const live = databases.at(0).conn
    const target = databases.at(1).conn
    await live.exec(START)
    await target.exec(`${START}\nalter table items add column ${column};`)
    const from = await dialect.introspect(live)
    const to = await dialect.introspect(target)
    const plan = dialect.plan(diff(from, to, [], dialect).changes, safePolicy, { from, to })
    const before = await fileOf(live)
    await applyPlan(live, plan)
    return { steps: plan.steps, rewritten: (await fileOf(live)) !== before }
  }

  async function rowsOf(column: string) {
    return databases
      .at(0)
      .conn.query<{ id: number; name: string; value: number | null }>(
        `select id, name, ${column} as value from items order by id`,
      )
  }

  it('plans the rewrite PostgreSQL does for a VOLATILE function, and keeps every row', async () => {
    const { steps, rewritten } = await addColumn('ticket integer default next_ticket()')
    expect(rewritten).toBe(true)
    expect(steps.map((s) => [s.sql, s.rewritesTable, s.comment])).toEqual([
      [
        'ALTER TABLE public.items ADD COLUMN ticket integer DEFAULT next_ticket()',
        true,
        'Add column ticket to public.items (rewrites the table)',
      ],
    ])
    const rows = await rowsOf('ticket')
    expect(rows.map((r) => [r.id, r.name])).toEqual([1, 2, 3, 4, 5].map((i) => [i, `item ${i}`]))
    // Computed for each row: five values drawn from the sequence.
    expect(new Set(rows.map((r) => r.value)).size).toBe(5)
  })

  it('keeps the cheap plan for an IMMUTABLE function, which PostgreSQL does not rewrite for', async () => {
    const { steps, rewritten } = await addColumn('lucky integer default seven()')
    expect(rewritten).toBe(false)
    expect(steps.map((s) => [s.rewritesTable, s.scansTable, s.comment])).toEqual([
      [false, false, 'Add column lucky to public.items'],
    ])
    const rows = await rowsOf('lucky')
    expect(rows.map((r) => [r.id, r.name, r.value])).toEqual([1, 2, 3, 4, 5].map((i) => [i, `item ${i}`, 7]))
  })
})
