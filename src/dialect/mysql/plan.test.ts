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
})
