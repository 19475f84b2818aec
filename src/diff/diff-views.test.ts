import { describe, expect, it } from 'vitest'
import { col, enumOf, enumRef, index, nameOf, schemaOf, tableOf, viewOf } from '../schema/build.js'
import type { Schema, Table, View } from '../schema/model.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

const t = tableOf('public.t', [
  col('id', 'int8'),
  col('a', 'int4'),
  col('b', 'text'),
  col('s', enumRef('public.state')),
])
const v1 = viewOf('public.v1', 'SELECT t.id, t.a FROM t', ['public.t'])
const v2 = viewOf('public.v2', 'SELECT v1.a FROM v1', ['public.v1'])
const onB = viewOf('public.on_b', 'SELECT t.b FROM t', ['public.t'])
const mv = viewOf('public.mv', 'SELECT t.s, count(t.id) AS n FROM t GROUP BY t.s', ['public.t'], {
  materialized: true,
  indexes: [index('mv_s_idx', ['s'])],
})
const from: Schema = schemaOf({ enums: [enumOf('public.state', ['on', 'off'])], tables: [t], views: [v1, v2, onB, mv] })

/** `from` with table t edited. */
function withT(edit: (table: Table) => Table, schema: Schema = from): Schema {
  return { ...schema, tables: [edit(t)] }
}
const recreated = (...views: readonly View[]): Change[] =>
  views.flatMap((view): Change[] => [
    { kind: 'dropView', view },
    { kind: 'createView', view },
  ])
/** The view changes of diff(from, to), in a stable order. */
function viewChanges(to: Schema): readonly Change[] {
  return diff(from, to).changes.filter(
    (c) => c.kind === 'dropView' || c.kind === 'createView' || c.kind === 'createIndex',
  )
}

describe('views over changed tables are recreated', () => {
  it.each([
    {
      name: 'a dropped column recreates the views naming it, transitively',
      to: withT((x) => ({ ...x, columns: x.columns.filter((c) => c.name !== 'a') })),
      expected: recreated(v1, v2),
    },
    {
      name: 'a retyped column',
      to: withT((x) => ({
        ...x,
        columns: x.columns.map((c) => (c.name === 'b' ? { ...c, type: { kind: 'text', length: 10 } } : c)),
      })),
      expected: recreated(onB),
    },
    {
      name: 'a column whose collation changes',
      to: withT((x) => ({ ...x, columns: x.columns.map((c) => (c.name === 'id' ? { ...c, collation: 'C' } : c)) })),
      expected: recreated(mv, v1, v2),
    },
    {
      name: 'a column that only changes nullability keeps every view',
      to: withT((x) => ({ ...x, columns: x.columns.map((c) => ({ ...c, nullable: false })) })),
      expected: [],
    },
    {
      name: 'an added column keeps every view',
      to: withT((x) => ({ ...x, columns: [...x.columns, col('c', 'int4')] })),
      expected: [],
    },
    {
      name: 'a view whose definition changes recreates the views over it',
      to: { ...from, views: [{ ...v1, definition: 'SELECT t.id, t.a, t.b FROM t' }, v2, onB, mv] },
      expected: [...recreated(v1, v2)].map((c, i) =>
        i === 1 ? { ...c, view: { ...v1, definition: 'SELECT t.id, t.a, t.b FROM t' } } : c,
      ),
    },
    {
      name: 'an enum losing a value recreates the views over its columns (the type is recreated); the matview keeps its indexes',
      to: { ...from, enums: [enumOf('public.state', ['on'])] },
      expected: recreated(mv),
    },
    {
      name: 'an enum gaining a value keeps them (ADD VALUE)',
      to: { ...from, enums: [enumOf('public.state', ['on', 'paused', 'off'])] },
      expected: [],
    },
  ])('$name', ({ to, expected }) => {
    expect(viewChanges(to)).toEqual(expected)
  })

  it('a declared SELECT * is assumed to read every column', () => {
    const star = viewOf('public.star', 'SELECT * FROM t', ['public.t'])
    const schema = { ...from, views: [star] }
    const to = withT((x) => ({ ...x, columns: x.columns.filter((c) => c.name !== 'b') }), schema)
    expect(diff(schema, to).changes.filter((c) => c.kind.endsWith('View'))).toEqual(recreated(star))
  })

  it('a view over a dropped view is dropped with it (or recreated when `to` keeps it)', () => {
    const to = { ...from, views: [v2, onB, mv] }
    expect(viewChanges(to)).toEqual([{ kind: 'dropView', view: v1 }, ...recreated(v2)])
  })

  it('a view over a renamed column is recreated even when the rename alone would keep it working', () => {
    const to = withT((x) => ({
      ...x,
      columns: x.columns.map((c) => (c.name === 'b' ? { ...c, name: 'body', renamedFrom: 'b' } : c)),
    }))
    expect(diff(from, to).changes).toEqual([
      { kind: 'renameColumn', table: nameOf('public.t'), from: 'b', to: 'body' },
      ...recreated(onB),
    ])
  })
})
