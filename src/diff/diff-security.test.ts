import { describe, expect, it } from 'vitest'
import { invertChange } from '../plan/invert.js'
import { col, namespaceOf, routineOf, schemaOf, sequenceOf, tableOf, viewOf } from '../schema/build.js'
import type { Collation, Privilege, RowPolicy, Schema } from '../schema/model.js'
import type { Change } from './change.js'
import { diff } from './diff.js'
import { privilegeChanges } from './diff-security.js'

const accounts = { schema: 'public', name: 'accounts' }
const table = { kind: 'table', name: accounts } as const
const p = (grantee: string, privilege: string, extra: Partial<Privilege> = {}): Privilege => ({
  grantee,
  privilege,
  ...extra,
})
const managers: RowPolicy = {
  name: 'managers',
  command: 'ALL',
  roles: ['app'],
  using: '(manager = CURRENT_USER)',
}
const posix: Collation = { name: { schema: 'public', name: 'posix' }, provider: 'libc', locale: 'POSIX' }

function withAccounts(extras: Parameters<typeof tableOf>[2] = {}): Schema {
  return schemaOf({ tables: [tableOf(accounts, [col('manager', 'text'), col('n', 'int4')], extras)] })
}

describe('privilegeChanges', () => {
  it('revokes before it grants, one change per grantee and grant option, privileges sorted', () => {
    const from = [p('app', 'SELECT'), p('app', 'INSERT'), p('PUBLIC', 'SELECT')]
    const to = [p('app', 'UPDATE'), p('app', 'INSERT'), p('app', 'DELETE', { grantable: true }), p('audit', 'SELECT')]
    expect(privilegeChanges(table, from, to)).toEqual([
      { kind: 'revoke', target: table, grantee: 'PUBLIC', privileges: ['SELECT'] },
      { kind: 'revoke', target: table, grantee: 'app', privileges: ['SELECT'] },
      { kind: 'grant', target: table, grantee: 'app', privileges: ['UPDATE'] },
      { kind: 'grant', target: table, grantee: 'app', privileges: ['DELETE'], grantable: true },
      { kind: 'grant', target: table, grantee: 'audit', privileges: ['SELECT'] },
    ])
  })

  it('revokes and grants again a privilege that loses its grant option (the revoke keeps it, for its inverse)', () => {
    expect(privilegeChanges(table, [p('app', 'SELECT', { grantable: true })], [p('app', 'SELECT')])).toEqual([
      { kind: 'revoke', target: table, grantee: 'app', privileges: ['SELECT'], grantable: true },
      { kind: 'grant', target: table, grantee: 'app', privileges: ['SELECT'] },
    ])
  })

  it('grants back what was revoked from the owner, and revokes what the owner loses', () => {
    const revoked = p('postgres', 'SELECT', { revoked: true })
    expect(privilegeChanges(table, [revoked], [])).toEqual([
      { kind: 'grant', target: table, grantee: 'postgres', privileges: ['SELECT'] },
    ])
    expect(privilegeChanges(table, [], [revoked])).toEqual([
      { kind: 'revoke', target: table, grantee: 'postgres', privileges: ['SELECT'] },
    ])
  })
})

describe('diff: privileges', () => {
  it('diffs the privileges of namespaces, sequences, tables, views and routines present on both sides', () => {
    const fn = routineOf('public.f', 'CREATE OR REPLACE FUNCTION public.f() ...', { returns: 'integer' })
    const grants = (privileges: readonly Privilege[]) => ({ privileges })
    const from = schemaOf({
      namespaces: [namespaceOf('app')],
      sequences: [sequenceOf('public.s')],
      tables: withAccounts().tables,
      views: [viewOf('public.v', 'SELECT 1', [], { materialized: true })],
      routines: [fn],
    })
    const to = schemaOf({
      namespaces: [namespaceOf('app', grants([p('app', 'USAGE')]))],
      sequences: [sequenceOf('public.s', grants([p('app', 'USAGE')]))],
      tables: withAccounts(grants([p('app', 'SELECT')])).tables,
      views: [viewOf('public.v', 'SELECT 1', [], { materialized: true, ...grants([p('app', 'SELECT')]) })],
      routines: [{ ...fn, privileges: [] }],
    })
    const { changes } = diff(from, to)
    expect(
      changes.map((c) => (c.kind === 'grant' || c.kind === 'revoke' ? `${c.kind} ${c.target.kind}` : c.kind)),
    ).toEqual(['grant namespace', 'grant sequence', 'grant table', 'grant materializedView', 'revoke routine'])
    expect(changes.at(-1)).toMatchObject({ grantee: 'PUBLIC', privileges: ['EXECUTE'] })
  })

  it('leaves privileges to the creation of new, recreated and dropped objects', () => {
    const granted = [p('app', 'SELECT')]
    const from = schemaOf({ views: [viewOf('public.v', 'SELECT 1')] })
    const to = schemaOf({
      tables: withAccounts({ privileges: granted }).tables,
      views: [viewOf('public.v', 'SELECT 2', [], { privileges: granted })],
    })
    expect(diff(from, to).changes.map((c) => c.kind)).toEqual(['createTable', 'dropView', 'createView'])
    expect(diff(to, from).changes.map((c) => c.kind)).toEqual(['dropTable', 'dropView', 'createView'])
  })

  it('leaves the privileges of a routine that is dropped and created to its creation', () => {
    const before = routineOf('public.f', 'CREATE FUNCTION f() RETURNS integer ...', { returns: 'integer' })
    const after = { ...before, definition: 'CREATE FUNCTION f() RETURNS bigint ...', returns: 'bigint', privileges: [] }
    const { changes } = diff(schemaOf({ routines: [before] }), schemaOf({ routines: [after] }))
    expect(changes.map((c) => c.kind)).toEqual(['alterRoutine'])
  })
})

describe('diff: row-level security and policies', () => {
  it('switches row-level security and creates, alters and drops policies', () => {
    const other: RowPolicy = { name: 'readers', command: 'SELECT', roles: ['PUBLIC'], using: 'true' }
    const from = withAccounts({ policies: [managers, other] })
    const to = withAccounts({
      rowLevelSecurity: { enabled: true, forced: true },
      policies: [{ ...managers, roles: ['app', 'audit'], withCheck: 'true' }],
    })
    expect(diff(from, to).changes).toEqual([
      { kind: 'setRowLevelSecurity', table: accounts, from: undefined, to: { enabled: true, forced: true } },
      { kind: 'dropPolicy', table: accounts, policy: other },
      {
        kind: 'alterPolicy',
        table: accounts,
        from: managers,
        to: { ...managers, roles: ['app', 'audit'], withCheck: 'true' },
      },
    ])
  })

  it('drops and creates a policy whose command or kind changes, that loses an expression, or whose table retypes a column', () => {
    const recreated = (after: RowPolicy): Change[] => [
      { kind: 'dropPolicy', table: accounts, policy: managers },
      { kind: 'createPolicy', table: accounts, policy: after },
    ]
    for (const after of [
      { ...managers, restrictive: true as const },
      { ...managers, command: 'UPDATE' as const },
      { name: 'managers', command: 'ALL' as const, roles: ['app'], withCheck: 'true' },
    ]) {
      expect(diff(withAccounts({ policies: [managers] }), withAccounts({ policies: [after] })).changes).toEqual(
        recreated(after),
      )
    }
    const retyped = schemaOf({
      tables: [tableOf(accounts, [col('manager', 'text'), col('n', 'int8')], { policies: [managers] })],
    })
    expect(diff(withAccounts({ policies: [managers] }), retyped).changes.map((c) => c.kind)).toEqual([
      'alterColumn',
      'dropPolicy',
      'createPolicy',
    ])
  })
})

describe('diff: collations', () => {
  it('creates and drops collations; a comment alone is an alterCollation, anything else a drop and a create', () => {
    const icu: Collation = { name: { schema: 'public', name: 'numeric' }, provider: 'icu', locale: 'en-u-kn-true' }
    expect(diff(schemaOf({ collations: [posix] }), schemaOf({ collations: [icu] })).changes).toEqual([
      { kind: 'dropCollation', collation: posix },
      { kind: 'createCollation', collation: icu },
    ])
    const commented = { ...posix, comment: 'byte order' }
    expect(diff(schemaOf({ collations: [posix] }), schemaOf({ collations: [commented] })).changes).toEqual([
      { kind: 'alterCollation', from: posix, to: commented },
    ])
    const nondeterministic = { ...posix, nondeterministic: true as const }
    expect(diff(schemaOf({ collations: [posix] }), schemaOf({ collations: [nondeterministic] })).changes).toEqual([
      { kind: 'dropCollation', collation: posix },
      { kind: 'createCollation', collation: nondeterministic },
    ])
  })
})

describe('diff: symmetry', () => {
  it('diff(B, A) is the inverse of diff(A, B)', () => {
    const a = schemaOf({
      collations: [posix],
      tables: withAccounts({ privileges: [p('app', 'SELECT'), p('postgres', 'DELETE', { revoked: true })] }).tables,
    })
    const b = schemaOf({
      tables: withAccounts({
        privileges: [p('app', 'SELECT', { grantable: true })],
        rowLevelSecurity: { enabled: true },
        policies: [managers],
      }).tables,
    })
    const sorted = (changes: readonly Change[]) => changes.map((c) => JSON.stringify(c)).sort()
    expect(sorted(diff(b, a).changes)).toEqual(sorted(diff(a, b).changes.map(invertChange)))
  })
})
