import { describe, expect, it } from 'vitest'
import { col, routineOf, schemaOf, tableOf, viewOf } from '../../schema/build.js'
import { normalizePostgres } from './normalize.js'

describe('normalizing privileges, row-level security, policies and collations', () => {
  it('sorts and de-duplicates privileges, and drops lists that hold the default', () => {
    const schema = normalizePostgres(
      schemaOf({
        tables: [
          tableOf('t', [col('id', 'int4')], {
            privileges: [
              { grantee: 'public', privilege: 'select' },
              { grantee: 'app', privilege: 'UPDATE' },
              { grantee: 'app', privilege: 'UPDATE', grantable: true },
            ],
            rowLevelSecurity: { enabled: false },
            policies: [],
          }),
        ],
        views: [viewOf('v', 'SELECT 1', [], { privileges: [] })],
        routines: [
          routineOf('f', 'CREATE FUNCTION f() ...', { privileges: [{ grantee: 'PUBLIC', privilege: 'EXECUTE' }] }),
          routineOf('g', 'CREATE FUNCTION g() ...', { privileges: [] }),
        ],
      }),
    )
    expect(schema.tables[0]).toEqual(
      tableOf({ schema: 'public', name: 't' }, [col('id', 'int4')], {
        privileges: [
          { grantee: 'PUBLIC', privilege: 'SELECT' },
          { grantee: 'app', privilege: 'UPDATE', grantable: true },
        ],
      }),
    )
    expect(schema.views[0]?.privileges).toBeUndefined()
    expect(schema.routines?.map((r) => r.privileges)).toEqual([undefined, []])
  })

  it('sorts policies and their roles, and states one libc locale for equal halves', () => {
    const schema = normalizePostgres(
      schemaOf({
        tables: [
          tableOf('t', [], {
            rowLevelSecurity: { enabled: false, forced: true },
            policies: [
              { name: 'b', command: 'ALL', roles: ['public'] },
              { name: 'a', command: 'SELECT', roles: ['zed', 'app', 'app'], using: 'true', comment: '' },
            ],
          }),
        ],
        collations: [{ name: { name: 'posix' }, provider: 'libc', lcCollate: 'POSIX', lcCtype: 'POSIX' }],
      }),
    )
    expect(schema.tables[0]?.rowLevelSecurity).toEqual({ enabled: false, forced: true })
    expect(schema.tables[0]?.policies).toEqual([
      { name: 'a', command: 'SELECT', roles: ['app', 'zed'], using: 'true' },
      { name: 'b', command: 'ALL', roles: ['PUBLIC'] },
    ])
    expect(schema.collations).toEqual([
      { name: { schema: 'public', name: 'posix' }, provider: 'libc', locale: 'POSIX' },
    ])
  })
})
