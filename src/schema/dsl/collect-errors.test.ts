import { describe, expect, test } from 'vitest'
import { KeelError } from '../../errors.js'
import { bigint, collect, enumType, integer, schema as ns, sequence, sql, table, view } from './index.js'

const status = enumType('status', ['draft', 'published'])
const users = table('users', { id: bigint().primaryKey() })
const posts = table('posts', { authorId: bigint().references(() => users.id) })

describe('collect errors', () => {
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn()
    } catch (error) {
      return error instanceof KeelError ? `${error.code}: ${error.message}` : String(error)
    }
    return undefined
  }

  test.each([
    [
      'two tables with one name',
      () => collect({ a: table('t', { id: integer() }), b: table('t', { x: integer() }) }),
      'SCHEMA_MODULE: table t has the same name as table t',
    ],
    [
      'public and the default namespace are one',
      () => collect({ a: table('t', { id: integer() }), b: table('t', { id: integer() }, { schema: 'public' }) }),
      'SCHEMA_MODULE: table public.t has the same name as table t',
    ],
    [
      'a view named like a table',
      () => collect({ a: table('t', { id: integer() }), v: view('t', 'select 1') }),
      'SCHEMA_MODULE: view t has the same name as table t',
    ],
    [
      'a sequence named like a view',
      () => collect({ v: view('s', 'select 1'), s: sequence('s') }),
      'SCHEMA_MODULE: sequence s has the same name as view s',
    ],
    [
      'two enums with one name',
      () => collect({ a: enumType('e', ['x']), b: enumType('e', ['y']) }),
      'SCHEMA_MODULE: enum e has the same name as enum e',
    ],
    [
      'an enum named like a table',
      () => collect({ a: table('e', { id: integer() }), b: enumType('e', ['y']) }),
      'SCHEMA_MODULE: enum e has the same name as table e',
    ],
    [
      'an enum column whose enum is not exported',
      () => collect({ t: table('t', { s: status() }) }),
      'SCHEMA_MODULE: table t, column s: enum status is used but not exported from the schema module; export it',
    ],
    [
      'a foreign key to a table not exported',
      () => collect({ posts, status }),
      'SCHEMA_MODULE: table posts: column authorId references: table users is used but not exported from the schema module; export it',
    ],
    [
      'a view depending on a table not exported',
      () => collect({ v: view('v', sql`select * from ${users}`) }),
      'SCHEMA_MODULE: view v: table users is used but not exported from the schema module; export it',
    ],
    [
      'a sequence owned by a column of a table not exported',
      () => collect({ s: sequence('s', { ownedBy: users.id }) }),
      'SCHEMA_MODULE: sequence s ownedBy: table users is used but not exported from the schema module; export it',
    ],
    [
      'a column builder interpolated in sql',
      () => collect({ t: table('t', { a: integer().default(sql`${integer()}`) }) }),
      'SCHEMA_MODULE: table t: a sql template interpolates a column declaration; interpolate a column reference (t.name or users.id), a table, a view, a sequence or a value',
    ],
    [
      'namespaces with conflicting comments',
      () => collect({ a: ns('x', { comment: '1' }), b: ns('x', { comment: '2' }) }),
      'SCHEMA_MODULE: namespace x is declared twice with different comments',
    ],
  ])('%s', (_label, fn, message) => {
    expect(code(fn)).toBe(message)
  })

  test('table() refuses a value that is not a column', () => {
    expect(() => table('t', { a: 'text' as never })).toThrow(/table t: "a" is not a column/)
    expect(() => table('', {})).toThrow(/first argument must be the table name/)
  })
})
