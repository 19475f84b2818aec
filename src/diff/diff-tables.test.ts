import { describe, expect, it } from 'vitest'
import { check, col, fk, index, pk, schemaOf, tableOf, unique } from '../schema/build.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

const parent = tableOf('public.parent', [col('id', 'int8', { nullable: false }), col('code', 'text')], {
  primaryKey: pk('parent_pkey', ['id']),
  uniques: [unique('parent_code_key', ['code'])],
})
const child = tableOf(
  'public.child',
  [col('id', 'int8'), col('parent_id', 'int8'), col('parent_code', 'text'), col('qty', 'int4'), col('note', 'text')],
  {
    foreignKeys: [
      fk('child_parent_fkey', ['parent_id'], 'public.parent', ['id']),
      fk('child_code_fkey', ['parent_code'], 'public.parent', ['code'], { comment: 'by code' }),
    ],
    checks: [check('child_qty_check', '(qty > 0)'), check('child_note_check', "(note <> ''::text)")],
    indexes: [
      index('child_qty_idx', ['qty']),
      index('child_note_idx', ['id'], { where: '(note IS NOT NULL)' }),
      index('child_id_idx', ['id'], { include: ['qty'] }),
    ],
    uniques: [unique('child_id_qty_key', ['id', 'qty'])],
  },
)
const from = schemaOf({ tables: [parent, child] })

describe('tables', () => {
  it('createTable carries its constraints, indexes and foreign keys; dropTable carries its own', () => {
    expect(diff(schemaOf(), from).changes).toEqual([
      { kind: 'createTable', table: child },
      { kind: 'createTable', table: parent },
    ])
    expect(diff(from, schemaOf()).changes).toEqual([
      { kind: 'dropTable', table: child },
      { kind: 'dropTable', table: parent },
    ])
  })

  it('drops what depends on a dropped column before the column (PostgreSQL would drop it silently)', () => {
    const to = schemaOf({
      tables: [
        parent,
        {
          ...child,
          columns: child.columns.filter((c) => c.name !== 'qty' && c.name !== 'note'),
          checks: [],
          indexes: [],
          uniques: [],
        },
      ],
    })
    const t = child.name
    expect(diff(from, to).changes).toEqual<Change[]>([
      { kind: 'dropIndex', table: t, index: child.indexes[2]! },
      { kind: 'dropIndex', table: t, index: child.indexes[1]! },
      { kind: 'dropIndex', table: t, index: child.indexes[0]! },
      { kind: 'dropUnique', table: t, unique: child.uniques[0]! },
      { kind: 'dropCheck', table: t, check: child.checks[1]! },
      { kind: 'dropCheck', table: t, check: child.checks[0]! },
      { kind: 'dropColumn', table: t, column: child.columns[3]! },
      { kind: 'dropColumn', table: t, column: child.columns[4]! },
    ])
  })

  it('renames keys that only change their name, and keeps the FKs over them', () => {
    const to = schemaOf({
      tables: [
        { ...parent, primaryKey: pk('parent_pk', ['id']), uniques: [unique('parent_code_uq', ['code'])] },
        { ...child, foreignKeys: [child.foreignKeys[0]!, { ...child.foreignKeys[1]!, comment: 'code' }] },
      ],
    })
    const changes = diff(from, to).changes
    expect(changes.filter((c) => c.kind === 'renameConstraint')).toEqual([
      { kind: 'renameConstraint', table: parent.name, from: 'parent_pkey', to: 'parent_pk' },
      { kind: 'renameConstraint', table: parent.name, from: 'parent_code_key', to: 'parent_code_uq' },
    ])
    // The unchanged FK stays; the one whose comment changes is still dropped and re-added with it.
    expect(changes.filter((c) => c.kind.endsWith('ForeignKey'))).toEqual([
      { kind: 'dropForeignKey', table: child.name, foreignKey: child.foreignKeys[1]! },
      { kind: 'addForeignKey', table: child.name, foreignKey: { ...child.foreignKeys[1]!, comment: 'code' } },
    ])
    // the comment travels with the re-added FK, not as a separate setComment
    expect(changes.filter((c) => c.kind === 'setComment')).toEqual([])
  })

  it('keeps the FKs when the referenced key only changes its comment', () => {
    const to = schemaOf({
      tables: [{ ...parent, uniques: [unique('parent_code_key', ['code'], { comment: 'c' })] }, child],
    })
    expect(diff(from, to).changes).toEqual([
      {
        kind: 'setComment',
        target: { kind: 'constraint', table: parent.name, constraint: 'parent_code_key' },
        from: undefined,
        to: 'c',
      },
    ])
  })

  it('a check whose expression changes is dropped and added', () => {
    const to = schemaOf({
      tables: [parent, { ...child, checks: [check('child_qty_check', '(qty >= 0)'), child.checks[1]!] }],
    })
    expect(diff(from, to).changes).toEqual([
      { kind: 'dropCheck', table: child.name, check: child.checks[0]! },
      { kind: 'addCheck', table: child.name, check: check('child_qty_check', '(qty >= 0)') },
    ])
  })
})
