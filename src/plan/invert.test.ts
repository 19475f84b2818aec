import { describe, expect, it } from 'vitest'
import type { Change } from '../diff/change.js'
import { col, enumOf, extensionOf, fk, index, namespaceOf, sequenceOf, tableOf, viewOf } from '../schema/build.js'
import { invertChange } from './invert.js'

const table = { schema: 'public', name: 'users' }
const users = tableOf('public.users', [col('id', 'int8', { nullable: false })])

/** One change of every kind; the exhaustive switch in invertChange keeps this list honest. */
const changes: readonly Change[] = [
  { kind: 'createNamespace', namespace: namespaceOf('app') },
  { kind: 'dropNamespace', namespace: namespaceOf('app') },
  { kind: 'createExtension', extension: extensionOf('citext') },
  { kind: 'dropExtension', extension: extensionOf('citext') },
  {
    kind: 'alterExtension',
    from: extensionOf('citext', { version: '1.5' }),
    to: extensionOf('citext', { version: '1.6' }),
  },
  { kind: 'createEnum', enum: enumOf('public.mood', ['a']) },
  { kind: 'dropEnum', enum: enumOf('public.mood', ['a']) },
  { kind: 'alterEnum', from: enumOf('public.mood', ['a']), to: enumOf('public.mood', ['a', 'b']), usages: [] },
  { kind: 'createSequence', sequence: sequenceOf('public.s') },
  { kind: 'dropSequence', sequence: sequenceOf('public.s') },
  { kind: 'alterSequence', from: sequenceOf('public.s'), to: sequenceOf('public.s', { increment: 2 }) },
  { kind: 'createTable', table: users },
  { kind: 'dropTable', table: users },
  { kind: 'renameTable', from: table, to: { schema: 'public', name: 'people' } },
  { kind: 'alterTable', table, from: users, to: { ...users, ext: { postgres: { unlogged: true } } } },
  { kind: 'addColumn', table, column: col('email', 'text') },
  { kind: 'dropColumn', table, column: col('email', 'text') },
  { kind: 'alterColumn', table, from: col('n', 'int4'), to: col('n', 'int8'), aspects: ['type'] },
  { kind: 'renameColumn', table, from: 'name', to: 'full_name' },
  { kind: 'addPrimaryKey', table, primaryKey: { name: 'users_pkey', columns: ['id'] } },
  { kind: 'dropPrimaryKey', table, primaryKey: { name: 'users_pkey', columns: ['id'] } },
  { kind: 'addUnique', table, unique: { name: 'users_email_key', columns: ['email'] } },
  { kind: 'dropUnique', table, unique: { name: 'users_email_key', columns: ['email'] } },
  { kind: 'createIndex', table, index: index('users_email_idx', ['email']) },
  { kind: 'dropIndex', table, index: index('users_email_idx', ['email']) },
  { kind: 'addForeignKey', table, foreignKey: fk('users_org_fkey', ['org'], 'public.orgs', ['id']) },
  { kind: 'dropForeignKey', table, foreignKey: fk('users_org_fkey', ['org'], 'public.orgs', ['id']) },
  { kind: 'addCheck', table, check: { name: 'users_id_check', expr: '(id > 0)' } },
  { kind: 'dropCheck', table, check: { name: 'users_id_check', expr: '(id > 0)' } },
  { kind: 'createView', view: viewOf('public.v', 'SELECT 1') },
  { kind: 'dropView', view: viewOf('public.v', 'SELECT 1') },
  { kind: 'setComment', target: { kind: 'table', name: table }, from: undefined, to: 'people' },
]

describe('invertChange', () => {
  it.each(changes.map((change) => [change.kind, change] as const))('%s inverted twice is itself', (_kind, change) => {
    expect(invertChange(invertChange(change))).toEqual(change)
  })

  it('turns creates into drops of the same object', () => {
    expect(invertChange({ kind: 'createTable', table: users })).toEqual({ kind: 'dropTable', table: users })
    expect(invertChange({ kind: 'createIndex', table, index: index('i', ['id']) })).toEqual({
      kind: 'dropIndex',
      table,
      index: index('i', ['id']),
    })
  })

  it('swaps from and to of alterations, renames and comments', () => {
    expect(invertChange({ kind: 'renameColumn', table, from: 'name', to: 'full_name' })).toEqual({
      kind: 'renameColumn',
      table,
      from: 'full_name',
      to: 'name',
    })
    const alter = invertChange({
      kind: 'alterColumn',
      table,
      from: col('n', 'int4'),
      to: col('n', 'int8'),
      aspects: ['type'],
    })
    expect(alter).toEqual({
      kind: 'alterColumn',
      table,
      from: col('n', 'int8'),
      to: col('n', 'int4'),
      aspects: ['type'],
    })
    expect(
      invertChange({ kind: 'setComment', target: { kind: 'table', name: table }, from: undefined, to: 'x' }),
    ).toEqual({
      kind: 'setComment',
      target: { kind: 'table', name: table },
      from: 'x',
      to: undefined,
    })
  })

  it('keeps the usages of an altered enum', () => {
    const usages = [{ table, column: col('mood', { kind: 'enum', enum: { schema: 'public', name: 'mood' } }) }]
    const change: Change = {
      kind: 'alterEnum',
      from: enumOf('public.mood', ['a']),
      to: enumOf('public.mood', ['b']),
      usages,
    }
    expect(invertChange(change)).toEqual({ kind: 'alterEnum', from: change.to, to: change.from, usages })
  })
})
