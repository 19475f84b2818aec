import { describe, expect, it } from 'vitest'
import { col, index, schemaOf, tableOf, unique } from '../schema/build.js'
import type { Column } from '../schema/model.js'
import type { ColumnAspect } from './change.js'
import { diff } from './diff.js'
import { columnChange } from './diff-columns.js'

const base = col('n', 'int4', { nullable: false })

describe('columnChange', () => {
  it.each<[string, Column, Column, readonly ColumnAspect[] | 'replace']>([
    ['equal', base, { ...base }, []],
    ['type', base, col('n', 'int8', { nullable: false }), ['type']],
    ['collation', col('s', 'text'), col('s', 'text', { collation: 'C' }), ['collation']],
    ['default', base, { ...base, default: { kind: 'sql', sql: '0' } }, ['default']],
    ['serial on', base, { ...base, serial: true }, ['default']],
    ['nullable', base, { ...base, nullable: true }, ['nullable']],
    ['identity', base, { ...base, identity: { always: true } }, ['identity']],
    [
      'identity options',
      { ...base, identity: { always: true } },
      { ...base, identity: { always: true, sequence: { start: 5 } } },
      ['identity'],
    ],
    ['comment', base, { ...base, comment: 'x' }, ['comment']],
    ['rename hint alone', base, { ...base, renamedFrom: 'm' }, []],
    [
      'generated dropped: DROP EXPRESSION',
      { ...base, generated: { expr: '(a + 1)', stored: true } },
      base,
      ['generated'],
    ],
    ['generated added: replace', base, { ...base, generated: { expr: '(a + 1)', stored: true } }, 'replace'],
    [
      'generated expression changed: replace',
      { ...base, generated: { expr: '(a + 1)', stored: true } },
      { ...base, generated: { expr: '(a + 2)', stored: true } },
      'replace',
    ],
    [
      'several, in aspect order',
      base,
      { ...col('n', 'int8', { nullable: true, comment: 'c', collation: 'C' }), default: { kind: 'sql', sql: '1' } },
      ['type', 'collation', 'default', 'nullable', 'comment'],
    ],
  ])('%s', (_name, from, to, expected) => {
    expect(columnChange(from, to)).toEqual(expected)
  })
})

describe('columns in a table', () => {
  const t = tableOf('public.t', [col('a', 'int4'), col('b', 'text'), col('c', 'bool')])

  it('matches columns by name: a new column order is no change', () => {
    const reordered = { ...t, columns: [t.columns[2]!, t.columns[0]!, t.columns[1]!] }
    expect(diff(schemaOf({ tables: [t] }), schemaOf({ tables: [reordered] })).changes).toEqual([])
  })

  it('adds columns in declared order', () => {
    const wider = { ...t, columns: [col('z', 'int4'), ...t.columns, col('y', 'int4')] }
    expect(diff(schemaOf({ tables: [t] }), schemaOf({ tables: [wider] })).changes).toEqual([
      { kind: 'addColumn', table: t.name, column: col('z', 'int4') },
      { kind: 'addColumn', table: t.name, column: col('y', 'int4') },
    ])
  })

  it('replaces a column that becomes generated, with the index and unique over it', () => {
    const from = tableOf('public.t', [col('a', 'int4'), col('g', 'int4')], {
      uniques: [unique('t_g_key', ['g'])],
      indexes: [index('t_g_idx', ['g']), index('t_a_idx', ['a'])],
    })
    const g = col('g', 'int4', { generated: { expr: '(a * 2)', stored: true } })
    const to = { ...from, columns: [from.columns[0]!, g] }
    expect(diff(schemaOf({ tables: [from] }), schemaOf({ tables: [to] })).changes).toEqual([
      { kind: 'dropIndex', table: from.name, index: from.indexes[0]! },
      { kind: 'dropUnique', table: from.name, unique: from.uniques[0]! },
      { kind: 'dropColumn', table: from.name, column: from.columns[1]! },
      { kind: 'addColumn', table: from.name, column: g },
      { kind: 'addUnique', table: from.name, unique: from.uniques[0]! },
      { kind: 'createIndex', table: from.name, index: from.indexes[0]! },
    ])
  })

  it('replaces a generated column around a type change of a column it reads (PostgreSQL refuses the change)', () => {
    const g = col('g', 'int8', { generated: { expr: '(a * 2)', stored: true } })
    const other = col('h', 'int8', { generated: { expr: '(b * 2)', stored: true } })
    const from = tableOf('public.t', [col('a', 'int4'), col('b', 'int4'), g, other])
    const wider = col('a', 'int8')
    const to = { ...from, columns: [wider, from.columns[1]!, g, other] }
    expect(diff(schemaOf({ tables: [from] }), schemaOf({ tables: [to] })).changes).toEqual([
      { kind: 'dropColumn', table: from.name, column: g },
      { kind: 'addColumn', table: from.name, column: g },
      { kind: 'alterColumn', table: from.name, from: from.columns[0]!, to: wider, aspects: ['type'] },
    ])
  })
})
