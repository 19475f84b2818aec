import { describe, expect, it } from 'vitest'
import { diff } from '../../diff/diff.js'
import { safePolicy } from '../../plan/policy.js'
import { emptySchema, type Schema, type Table } from '../../schema/model.js'
import { normalizeMysql } from './normalize.js'
import { planMysql } from './plan.js'

const table = (name: string, more: Partial<Table> = {}): Table => ({
  name: { name },
  columns: [
    { name: 'id', type: { kind: 'integer', bytes: 8 }, nullable: false },
    { name: 'a', type: { kind: 'text', length: 40 }, nullable: true },
  ],
  primaryKey: { name: 'PRIMARY', columns: ['id'] },
  uniques: [],
  indexes: [],
  foreignKeys: [],
  checks: [],
  ...more,
})
const schema = (...tables: Table[]): Schema => normalizeMysql({ ...emptySchema, tables })

function plan(from: Schema, to: Schema) {
  return planMysql(diff(from, to).changes, safePolicy, { from, to })
}

describe('MySQL planner', () => {
  it('adds a column where the schema puts it, instantly, and says so in the SQL', () => {
    const from = schema(table('t'))
    const base = table('t')
    const to = schema({
      ...base,
      columns: [
        base.columns[0],
        { name: 'n', type: { kind: 'integer', bytes: 4 }, nullable: true },
        base.columns[1],
      ] as Table['columns'],
    })
    const [add] = plan(from, to).steps
    expect(add?.sql).toBe('ALTER TABLE `t` ADD COLUMN `n` int NULL AFTER `id`, ALGORITHM=INSTANT')
    expect(add?.algorithm).toBe('INSTANT')
    expect(add?.rewritesTable).toBe(false)
    expect(add?.reverse).toEqual({ sql: 'ALTER TABLE `t` DROP COLUMN `n`, ALGORITHM=INSTANT' })
  })

  it('copies the table to change a column type, and says that writes wait', () => {
    const from = schema(table('t'))
    const base = table('t')
    const to = schema({
      ...base,
      columns: [
        base.columns[0],
        { name: 'a', type: { kind: 'integer', bytes: 4 }, nullable: true },
      ] as Table['columns'],
    })
    const [modify] = plan(from, to).steps
    expect(modify?.sql).toBe('ALTER TABLE `t` MODIFY COLUMN `a` int NULL, ALGORITHM=COPY, LOCK=SHARED')
    expect(modify?.lock.blocks).toBe('writes')
    expect(modify?.rewritesTable).toBe(true)
  })

  it('widens a VARCHAR instantly while its length prefix keeps its size', () => {
    const base = table('t')
    const widened = (n: number) =>
      schema({
        ...base,
        columns: [
          base.columns[0],
          { name: 'a', type: { kind: 'text', length: n }, nullable: true },
        ] as Table['columns'],
      })
    expect(plan(widened(40), widened(60)).steps[0]?.algorithm).toBe('INSTANT')
    expect(plan(widened(40), widened(80)).steps[0]?.algorithm).toBe('COPY')
  })

  it('creates parents before children and drops children first', () => {
    const parent = table('parent')
    const child = table('child', {
      columns: [...table('x').columns, { name: 'parent_id', type: { kind: 'integer', bytes: 8 }, nullable: true }],
      foreignKeys: [
        {
          name: 'child_parent_fk',
          columns: ['parent_id'],
          references: { table: { name: 'parent' }, columns: ['id'] },
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
      ],
    })
    const both = schema(child, parent)
    const created = plan(schema(), both).steps.map((s) => s.sql)
    expect(created[0]).toMatch(/^CREATE TABLE `parent`/)
    expect(created[1]).toMatch(/ON DELETE CASCADE ON UPDATE NO ACTION/)
    const dropped = plan(both, schema()).steps.map((s) => s.sql)
    expect(dropped).toEqual(['DROP TABLE `child`', 'DROP TABLE `parent`'])
  })

  it('adds foreign keys and checks by copying, and builds FULLTEXT indexes with writes blocked', () => {
    const base = table('t')
    const to = schema({
      ...base,
      checks: [{ name: 't_chk', expr: '`id` > 0' }],
      indexes: [{ name: 't_ft', parts: [{ column: 'a' }], unique: false, include: [], method: 'FULLTEXT' }],
    })
    const sql = plan(schema(base), to).steps.map((s) => s.sql)
    expect(sql).toEqual([
      'ALTER TABLE `t` ADD FULLTEXT INDEX `t_ft` (`a`), ALGORITHM=INPLACE, LOCK=SHARED',
      'ALTER TABLE `t` ADD CONSTRAINT `t_chk` CHECK (`id` > 0), ALGORITHM=COPY, LOCK=SHARED',
    ])
  })

  it('puts a dropped column back after its neighbour that is still there', () => {
    const base = table('t')
    const wide = schema({
      ...base,
      columns: [
        ...base.columns,
        { name: 'b', type: { kind: 'integer', bytes: 4 }, nullable: true },
        { name: 'c', type: { kind: 'integer', bytes: 4 }, nullable: true },
      ],
    })
    const steps = plan(wide, schema({ ...base, columns: [base.columns[0]] as Table['columns'] })).steps
    expect(steps.map((s) => ('sql' in s.reverse ? s.reverse.sql : ''))).toEqual([
      'ALTER TABLE `t` ADD COLUMN `a` varchar(40) NULL AFTER `id`, ALGORITHM=INSTANT',
      'ALTER TABLE `t` ADD COLUMN `b` int NULL AFTER `id`, ALGORITHM=INSTANT',
      'ALTER TABLE `t` ADD COLUMN `c` int NULL AFTER `id`, ALGORITHM=INSTANT',
    ])
  })

  it('drops tables in a foreign key cycle (Sakila: staff and store) by dropping the back keys first', () => {
    const fk = (name: string, column: string, parent: string) => ({
      name,
      columns: [column],
      references: { table: { name: parent }, columns: ['id'] },
      onDelete: 'NO ACTION' as const,
      onUpdate: 'NO ACTION' as const,
    })
    const ref = (name: string) => ({ name, type: { kind: 'integer' as const, bytes: 8 }, nullable: true })
    const withRefs = (name: string, ...refs: [string, string][]) =>
      table(name, {
        columns: [...table(name).columns, ...refs.map(([column]) => ref(column))],
        foreignKeys: refs.map(([column, parent]) => fk(`${name}_${column}_fk`, column, parent)),
      } as Partial<Table>)
    const from = schema(
      table('address'),
      withRefs('staff', ['address_id', 'address'], ['store_id', 'store']),
      withRefs('store', ['address_id', 'address'], ['manager_id', 'staff']),
    )
    const steps = plan(from, schema()).steps
    const sql = steps.map((s) => s.sql)
    const dropsAt = (t: string) => sql.indexOf(`DROP TABLE \`${t}\``)
    // Every foreign key still standing when its parent goes was dropped before.
    for (const t of ['staff', 'store'])
      for (const key of from.tables.find((x) => x.name.name === t)?.foreignKeys ?? []) {
        const parentGone = dropsAt(key.references.table.name)
        if (parentGone < dropsAt(t))
          expect(sql.findIndex((s) => s.includes(`DROP FOREIGN KEY \`${key.name}\``))).toBeLessThan(parentGone)
      }
    // The reverse, run last step first, creates each table before a foreign key names it.
    const created: string[] = []
    for (const step of [...steps].reverse()) {
      const reverse = 'sql' in step.reverse ? step.reverse.sql : ''
      const table =
        /^CREATE TABLE `(\w+)`/.exec(reverse)?.[1] ?? /^ALTER TABLE `(\w+)` ADD CONSTRAINT/.exec(reverse)?.[1]
      for (const parent of reverse.matchAll(/REFERENCES `(\w+)`/g)) expect(created).toContain(parent[1])
      if (table !== undefined && reverse.startsWith('CREATE')) created.push(table)
    }
    expect(created.sort()).toEqual(['address', 'staff', 'store'])
  })
})
