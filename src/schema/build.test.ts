import { describe, expect, it } from 'vitest'
import {
  arrayOf,
  check,
  col,
  enumOf,
  enumRef,
  extensionOf,
  fk,
  index,
  nameOf,
  namespaceOf,
  pk,
  schemaOf,
  sequenceOf,
  tableOf,
  typeOf,
  unique,
  viewOf,
} from './build.js'
import { deepEqual } from './equal.js'
import { emptySchema } from './model.js'

describe('schema builders', () => {
  it('splits qualified names at the first dot', () => {
    expect(nameOf('users')).toEqual({ name: 'users' })
    expect(nameOf('app.users')).toEqual({ schema: 'app', name: 'users' })
    expect(nameOf({ name: 'a.b' })).toEqual({ name: 'a.b' })
  })

  it('builds columns with defaults filled and optional fields omitted', () => {
    expect(col('id', 'int8')).toStrictEqual({ name: 'id', type: { kind: 'integer', bytes: 8 }, nullable: true })
    expect(col('at', 'timestamptz', { nullable: false, default: 'now()', comment: 'c' })).toStrictEqual({
      name: 'at',
      type: { kind: 'timestamp', withTimeZone: true },
      nullable: false,
      default: { kind: 'sql', sql: 'now()' },
      comment: 'c',
    })
    expect(Object.keys(col('x', 'text', {}))).toEqual(['name', 'type', 'nullable'])
    expect(typeOf({ kind: 'uuid' })).toEqual({ kind: 'uuid' })
    expect(arrayOf(enumRef('public.s'))).toEqual({
      kind: 'array',
      element: { kind: 'enum', enum: { schema: 'public', name: 's' } },
    })
  })

  it('builds tables, constraints and indexes with empty lists by default', () => {
    const t = tableOf('public.t', [col('id', 'int4')], {
      primaryKey: pk('t_pkey', ['id']),
      foreignKeys: [fk('t_fk', ['id'], 'public.u', ['id'], { onDelete: 'CASCADE' })],
    })
    expect(t).toStrictEqual({
      name: { schema: 'public', name: 't' },
      columns: [col('id', 'int4')],
      uniques: [],
      indexes: [],
      foreignKeys: [
        {
          name: 't_fk',
          columns: ['id'],
          references: { table: { schema: 'public', name: 'u' }, columns: ['id'] },
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
      ],
      checks: [],
      primaryKey: { name: 't_pkey', columns: ['id'] },
    })
    expect(index('i', ['a', { expr: 'lower(b)', descending: true }], { unique: true })).toStrictEqual({
      name: 'i',
      parts: [{ column: 'a' }, { expr: 'lower(b)', descending: true }],
      unique: true,
      include: [],
    })
    expect(unique('u', ['a'])).toStrictEqual({ name: 'u', columns: ['a'] })
    expect(check('c', '(a > 0)')).toStrictEqual({ name: 'c', expr: '(a > 0)' })
  })

  it('builds the other objects and whole schemas', () => {
    expect(enumOf('s', ['a'])).toStrictEqual({ name: { name: 's' }, values: ['a'] })
    expect(sequenceOf('q', { start: 2 })).toStrictEqual({ name: { name: 'q' }, start: 2 })
    expect(viewOf('v', 'SELECT 1', ['t'])).toStrictEqual({
      name: { name: 'v' },
      definition: 'SELECT 1',
      materialized: false,
      dependsOn: [{ name: 't' }],
      indexes: [],
    })
    expect(extensionOf('citext')).toStrictEqual({ name: 'citext' })
    expect(namespaceOf('app')).toStrictEqual({ name: 'app' })
    expect(schemaOf()).toStrictEqual(emptySchema)
    const s = schemaOf({ tables: [tableOf('t', [])] })
    expect(deepEqual(s, { ...emptySchema, tables: [tableOf('t', [])] })).toBe(true)
  })
})
