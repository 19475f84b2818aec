import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { safePolicy } from '../../plan/policy.js'
import { reversePlan } from '../../plan/step.js'
import { col, namespaceOf, routineOf, sequenceOf, tableOf, viewOf } from '../../schema/build.js'
import type { Collation, RowPolicy, Table } from '../../schema/model.js'
import { planPostgres } from './plan.js'

const accounts = { schema: 'public', name: 'accounts' }
const managers: RowPolicy = {
  name: 'managers',
  restrictive: true,
  command: 'UPDATE',
  roles: ['app', 'PUBLIC'],
  using: '(manager = CURRENT_USER)',
  withCheck: 'true',
  comment: 'own rows',
}
const secured: Table = tableOf(accounts, [col('manager', 'text', { collation: 'numeric' })], {
  privileges: [
    { grantee: 'app', privilege: 'INSERT' },
    { grantee: 'app', privilege: 'SELECT' },
    { grantee: 'audit', privilege: 'SELECT', grantable: true },
  ],
  rowLevelSecurity: { enabled: true, forced: true },
  policies: [managers],
})
const numeric: Collation = {
  name: { schema: 'public', name: 'numeric' },
  provider: 'icu',
  locale: 'en-u-kn-true',
  nondeterministic: true,
}
const plan = (changes: readonly Change[]) => planPostgres(changes, safePolicy)
const sqlOf = (changes: readonly Change[]) =>
  plan(changes)
    .steps.map((step) => step.sql)
    .join(';\n')

describe('privileges', () => {
  it('grants and revokes without locking the table; each step reverses the other', () => {
    const target = { kind: 'table', name: accounts } as const
    const { steps } = plan([
      { kind: 'grant', target, grantee: 'PUBLIC', privileges: ['SELECT'] },
      { kind: 'revoke', target, grantee: 'Audit Team', privileges: ['DELETE', 'UPDATE'], grantable: true },
    ])
    expect(steps.map((s) => [s.sql, s.reverse, s.lock.blocks, s.transactional])).toEqual([
      [
        'REVOKE DELETE, UPDATE ON TABLE public.accounts FROM "Audit Team"',
        { sql: 'GRANT DELETE, UPDATE ON TABLE public.accounts TO "Audit Team" WITH GRANT OPTION' },
        'nothing',
        true,
      ],
      [
        'GRANT SELECT ON TABLE public.accounts TO PUBLIC',
        { sql: 'REVOKE SELECT ON TABLE public.accounts FROM PUBLIC' },
        'nothing',
        true,
      ],
    ])
  })

  it('grants what a created namespace, sequence, view and routine list, after they exist', () => {
    const fn = routineOf('public.f', 'CREATE OR REPLACE FUNCTION public.f(n integer) ...', {
      identityArgs: 'n integer',
      privileges: [{ grantee: 'app', privilege: 'EXECUTE' }],
    })
    const app = [{ grantee: 'app', privilege: 'USAGE' }]
    expect(
      sqlOf([
        { kind: 'createNamespace', namespace: namespaceOf('billing', { privileges: app }) },
        { kind: 'createSequence', sequence: sequenceOf('billing.s', { privileges: app }) },
        {
          kind: 'createView',
          view: viewOf('billing.v', 'SELECT 1', [], { privileges: [{ grantee: 'app', privilege: 'SELECT' }] }),
        },
        { kind: 'createRoutine', routine: fn },
      ]),
    ).toMatchInlineSnapshot(`
      "CREATE SCHEMA billing;
      CREATE SEQUENCE billing.s;
      CREATE OR REPLACE FUNCTION public.f(n integer) ...;
      REVOKE EXECUTE ON FUNCTION public.f(n integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public.f(n integer) TO app;
      CREATE VIEW billing.v AS
      SELECT 1;
      GRANT USAGE ON SCHEMA billing TO app;
      GRANT USAGE ON SEQUENCE billing.s TO app;
      GRANT SELECT ON TABLE billing.v TO app"
    `)
  })
})

describe('a table with row-level security, policies and privileges', () => {
  it('is created, then secured, its policies created and its privileges granted', () => {
    const created = plan([
      { kind: 'createTable', table: secured },
      { kind: 'createCollation', collation: numeric },
    ])
    expect(created.steps.map((s) => s.sql).join(';\n')).toMatchInlineSnapshot(`
      "CREATE COLLATION public."numeric" (provider = icu, locale = 'en-u-kn-true', deterministic = false);
      CREATE TABLE public.accounts (
        manager text COLLATE "numeric"
      );
      ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;
      ALTER TABLE public.accounts FORCE ROW LEVEL SECURITY;
      CREATE POLICY managers ON public.accounts AS RESTRICTIVE FOR UPDATE TO app, PUBLIC USING ((manager = CURRENT_USER)) WITH CHECK (true);
      COMMENT ON POLICY managers ON public.accounts IS 'own rows';
      GRANT INSERT, SELECT ON TABLE public.accounts TO app;
      GRANT SELECT ON TABLE public.accounts TO audit WITH GRANT OPTION"
    `)
    // The table is new: nothing it does blocks anyone.
    expect(created.steps.every((s) => s.lock.blocks === 'nothing')).toBe(true)
    expect(reversePlan(created)).toEqual({
      sql: [
        'REVOKE SELECT ON TABLE public.accounts FROM audit',
        'REVOKE INSERT, SELECT ON TABLE public.accounts FROM app',
        'COMMENT ON POLICY managers ON public.accounts IS NULL',
        'DROP POLICY managers ON public.accounts',
        'ALTER TABLE public.accounts NO FORCE ROW LEVEL SECURITY',
        'ALTER TABLE public.accounts DISABLE ROW LEVEL SECURITY',
        'DROP TABLE public.accounts',
        'DROP COLLATION public."numeric"',
      ],
    })
  })

  it('is dropped in one step, whose reverse recreates all of it', () => {
    const dropped = plan([{ kind: 'dropTable', table: secured }])
    expect(dropped.steps.map((s) => s.sql)).toEqual(['DROP TABLE public.accounts'])
    const reverse = reversePlan(dropped)
    expect('sql' in reverse && reverse.sql[0]?.split(';\n')).toEqual([
      'CREATE TABLE public.accounts (\n  manager text COLLATE "numeric"\n)',
      'ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY',
      'ALTER TABLE public.accounts FORCE ROW LEVEL SECURITY',
      'CREATE POLICY managers ON public.accounts AS RESTRICTIVE FOR UPDATE TO app, PUBLIC USING ((manager = CURRENT_USER)) WITH CHECK (true)',
      "COMMENT ON POLICY managers ON public.accounts IS 'own rows'",
      'GRANT INSERT, SELECT ON TABLE public.accounts TO app',
      'GRANT SELECT ON TABLE public.accounts TO audit WITH GRANT OPTION',
    ])
  })
})

describe('row-level security and policies on an existing table', () => {
  it('switches row-level security in ACCESS EXCLUSIVE steps, one per switch', () => {
    const { steps } = plan([
      { kind: 'setRowLevelSecurity', table: accounts, from: { enabled: true, forced: true }, to: undefined },
    ])
    expect(steps.map((s) => [s.sql, s.reverse, s.lock])).toEqual([
      [
        'ALTER TABLE public.accounts DISABLE ROW LEVEL SECURITY',
        { sql: 'ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY' },
        { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [accounts] },
      ],
      [
        'ALTER TABLE public.accounts NO FORCE ROW LEVEL SECURITY',
        { sql: 'ALTER TABLE public.accounts FORCE ROW LEVEL SECURITY' },
        { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [accounts] },
      ],
    ])
  })

  it('alters a policy: only the clauses that change, then its comment', () => {
    const to: RowPolicy = { ...managers, roles: ['app'], using: '(manager = SESSION_USER)', comment: 'mine' }
    const { steps } = plan([{ kind: 'alterPolicy', table: accounts, from: managers, to }])
    expect(steps.map((s) => [s.sql, s.reverse])).toEqual([
      [
        'ALTER POLICY managers ON public.accounts TO app USING ((manager = SESSION_USER))',
        { sql: 'ALTER POLICY managers ON public.accounts TO app, PUBLIC USING ((manager = CURRENT_USER))' },
      ],
      [
        "COMMENT ON POLICY managers ON public.accounts IS 'mine'",
        { sql: "COMMENT ON POLICY managers ON public.accounts IS 'own rows'" },
      ],
    ])
    expect(steps[0]?.lock.mode).toBe('ACCESS EXCLUSIVE')
    expect(steps[1]?.lock.mode).toBe('SHARE UPDATE EXCLUSIVE')
  })

  it('drops policies before columns change and creates them after', () => {
    const column = col('manager', 'int4')
    const retyped = col('manager', 'int8')
    const bare = { ...managers, comment: undefined }
    const { comment: _, ...policy } = bare
    expect(
      sqlOf([
        { kind: 'createPolicy', table: accounts, policy },
        { kind: 'alterColumn', table: accounts, from: column, to: retyped, aspects: ['type'] },
        { kind: 'dropPolicy', table: accounts, policy },
      ]),
    ).toMatchInlineSnapshot(`
      "DROP POLICY managers ON public.accounts;
      ALTER TABLE public.accounts ALTER COLUMN manager TYPE bigint;
      CREATE POLICY managers ON public.accounts AS RESTRICTIVE FOR UPDATE TO app, PUBLIC USING ((manager = CURRENT_USER)) WITH CHECK (true)"
    `)
  })
})

describe('collations', () => {
  it('creates a collation before the columns that use it and drops one after they moved off it', () => {
    const posix: Collation = { name: { schema: 'public', name: 'posix' }, provider: 'libc', locale: 'POSIX' }
    const mixed: Collation = {
      name: { schema: 'public', name: 'mixed' },
      provider: 'libc',
      lcCollate: 'C',
      lcCtype: 'POSIX',
      comment: 'mixed',
    }
    const from = col('b', 'text', { collation: 'posix' })
    const to = col('b', 'text', { collation: 'mixed' })
    expect(
      sqlOf([
        { kind: 'dropCollation', collation: posix },
        { kind: 'alterColumn', table: accounts, from, to, aspects: ['collation'] },
        { kind: 'createCollation', collation: mixed },
      ]),
    ).toMatchInlineSnapshot(`
      "CREATE COLLATION public.mixed (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
      COMMENT ON COLLATION public.mixed IS 'mixed';
      ALTER TABLE public.accounts ALTER COLUMN b TYPE text COLLATE mixed;
      DROP COLLATION public.posix"
    `)
  })
})
