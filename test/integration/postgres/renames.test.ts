/**
 * Renames from hints on real databases: the data stays, serial columns stay serials (their implied
 * sequences follow the new names), nothing is left to diff afterwards, and the reverse restores the start.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import type { Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { withSqlHints } from '../../../src/source/materialize.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')

const START = `create table clients (id serial primary key, num bigserial, name text);
insert into clients (name) values ('ada');`
const TARGET = `create table customers ( -- keel:renamed-from clients
  id serial primary key,
  number bigserial, -- keel:renamed-from num
  full_name text -- keel:renamed-from name
);`

describe.each(DIALECTS)('hinted renames on %s', (name) => {
  it('renames a table and its serial columns, keeping data and serial-ness, and reverses', async () => {
    await withDatabase(name, async ({ conn: work }) => {
      const target = await withDatabase(name, async ({ conn }) => {
        await conn.exec(TARGET)
        return withSqlHints(await dialect.introspect(conn), TARGET)
      })
      await work.exec(START)
      const start = await dialect.introspect(work)
      const result = diff(start, target, [], dialect)
      // PostgreSQL keeps the primary key's old name (clients_pkey): it is renamed, not rebuilt.
      expect(result.changes.map((c) => c.kind)).toEqual([
        'renameTable',
        'renameColumn',
        'renameColumn',
        'renameConstraint',
      ])
      const plan = dialect.plan(result.changes, safePolicy)
      await applyPlan(work, plan)

      const after = await dialect.introspect(work)
      expect(after.tables[0]?.columns.map((c) => [c.name, c.serial === true])).toEqual([
        ['id', true],
        ['number', true],
        ['full_name', false],
      ])
      expect(diff(after, withoutHints(target), [], dialect).changes).toEqual([])
      expect(await work.query('select id, number::int as number, full_name from customers')).toEqual([
        { id: 1, number: 1, full_name: 'ada' },
      ])

      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error('not reversible')
      await runScript(work, reverse.sql)
      expect(diff(await dialect.introspect(work), start, [], dialect).changes).toEqual([])
    })
  })
})

function withoutHints(schema: Schema): Schema {
  return {
    ...schema,
    tables: schema.tables.map(({ renamedFrom: _t, ...table }) => ({
      ...table,
      columns: table.columns.map(({ renamedFrom: _c, ...column }) => column),
    })),
  }
}
