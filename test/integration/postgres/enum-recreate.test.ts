/**
 * An enum that loses or reorders values is recreated and its columns converted. Whatever reads those columns
 * through the type (checks, partial and expression indexes, views, defaults, arrays) must survive the conversion:
 * PostgreSQL re-parses them against the renamed old type and fails unless Keel drops and re-adds them around it.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'

const dialect = getDialect('postgres')

const body = (values: string) => `create type mood as enum (${values});
create table person (
  id int primary key,
  m mood not null default 'ok' check (m <> 'sad'),
  history mood[] not null default '{ok}'
);
create index person_happy on person (id) where m = 'happy';
create index person_is_ok on person ((m = 'ok'));
create index person_m on person (m);
create view happy_people as select id from person where m = 'happy';`

const START = `${body("'sad', 'ok', 'happy'")}
insert into person values (1, 'ok', '{ok,happy}'), (2, 'happy', '{}');`
const TARGET = body("'ok', 'happy', 'sad', 'ecstatic'")

describe.each(DIALECTS)('recreating an enum on %s', (name) => {
  it('converts its columns while checks, indexes, views and defaults read it, and reverses', async () => {
    await withDatabase(name, async ({ conn: work }) => {
      const target = await withDatabase(name, async ({ conn }) => {
        await conn.exec(TARGET)
        return dialect.introspect(conn)
      })
      await work.exec(START)
      const start = await dialect.introspect(work)
      const result = diff(start, target)
      const plan = dialect.plan(result.changes, safePolicy)
      await applyPlan(work, plan)

      expect(diff(await dialect.introspect(work), target).changes).toEqual([])
      expect(await work.query('select id, m::text, history::text from person order by id')).toEqual([
        { id: 1, m: 'ok', history: '{ok,happy}' },
        { id: 2, m: 'happy', history: '{}' },
      ])
      // The plain index on m is rebuilt by PostgreSQL itself; only the ones that spell the type are recreated.
      const recreated = result.changes.flatMap((c) => (c.kind === 'createIndex' ? [c.index.name] : []))
      expect(recreated.sort()).toEqual(['person_happy', 'person_is_ok'])

      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`not reversible: ${reverse.irreversible.join('; ')}`)
      for (const statement of reverse.sql) await work.exec(statement)
      expect(diff(await dialect.introspect(work), start).changes).toEqual([])
    })
  }, 60_000)
})
