/**
 * Privileges, row-level security, policies and collations, end to end on each dialect: introspection reads them
 * (privileges without the owner's own, but with what was revoked from the owner), a schema holding them is
 * recreated from empty exactly and its reverse empties the database, and a migration that changes them (grants,
 * revokes, grant options, switches, altered, recreated, new and dropped policies, a column moving to another
 * collation under a policy) reaches its target and its reverse comes back.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { type Plan, reversePlan } from '../../../src/plan/step.js'
import { emptySchema, type Schema, type Table } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, type TestDialect } from '../../support/databases.js'
import { emptiedBeforeEach } from '../../support/emptied-databases.js'

const dialect = getDialect('postgres')
const APP = 'keel_security_app'
const AUDIT = 'keel_security_audit'

/** Roles are server-wide on PostgreSQL (created once, tolerating a parallel creator) and per database on PGlite. */
async function createRoles(conn: Connection): Promise<void> {
  for (const role of [APP, AUDIT]) {
    await conn.exec(
      `DO $$ BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    )
  }
}

const START = `
create schema billing;
grant usage on schema billing to ${APP};
create collation billing.posix from "POSIX";
create collation billing.mixed (lc_collate = 'C', lc_ctype = 'POSIX');
create sequence billing.invoice_no;
grant usage, select on sequence billing.invoice_no to ${APP};
create table billing.accounts (id int primary key, manager text collate billing.posix, note text);
alter table billing.accounts enable row level security;
create policy managers on billing.accounts as restrictive for update to ${APP}
  using (manager = current_user) with check (true);
comment on policy managers on billing.accounts is 'own rows';
create policy readers on billing.accounts for select using (true);
grant select, insert on billing.accounts to ${APP};
grant select on billing.accounts to ${AUDIT} with grant option;
revoke truncate on billing.accounts from current_user;
create view billing.account_notes as select id, note from billing.accounts;
grant select on billing.account_notes to public;
create function billing.touch(n integer) returns integer language sql as 'select n';
revoke execute on function billing.touch(integer) from public;
grant execute on function billing.touch(integer) to ${APP};
`

/** START with every kind of change: see the file's comment. */
const TARGET = `
create schema billing;
create collation billing.mixed (lc_collate = 'C', lc_ctype = 'POSIX');
comment on collation billing.mixed is 'bytes, POSIX classes';
create collation billing.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
create sequence billing.invoice_no;
grant usage on sequence billing.invoice_no to ${APP};
create table billing.accounts (id int primary key, manager text collate billing.mixed, note text);
alter table billing.accounts enable row level security;
alter table billing.accounts force row level security;
create policy managers on billing.accounts as restrictive for update to ${APP}, ${AUDIT}
  using (manager = session_user) with check (true);
create policy writers on billing.accounts for insert with check (true);
grant select, update on billing.accounts to ${APP};
grant select on billing.accounts to ${AUDIT};
create view billing.account_notes as select id, note from billing.accounts;
create function billing.touch(n integer) returns integer language sql as 'select n';
create table billing.ledger (id int, account_id int);
alter table billing.ledger enable row level security;
create policy own on billing.ledger using (account_id > 0);
grant select on billing.ledger to ${AUDIT};
`

async function load(conn: Connection, sql: string): Promise<Schema> {
  await createRoles(conn)
  await conn.exec(sql)
  return dialect.introspect(conn)
}

function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((t) => t.name.name === name)
  if (found === undefined) throw new Error(`no table ${name}`)
  return found
}

async function undo(conn: Connection, plan: Plan): Promise<void> {
  const back = reversePlan(plan)
  if (!('sql' in back)) throw new Error(`irreversible: ${back.irreversible.join('; ')}`)
  await conn.transaction(async (tx) => {
    for (const sql of back.sql) await tx.exec(sql)
  })
}

describe.each(DIALECTS)('privileges, row-level security and collations on %s', (name: TestDialect) => {
  // Every test starts from empty databases: shared ones, wiped before each test, instead of one or two
  // new ones per test (on PGlite each new one is a boot, most of this file's time).
  const databases = emptiedBeforeEach(name, 2)

  it('introspects privileges, row-level security, policies and collations', async () => {
    await databases.use(0, async ({ conn }) => {
      const schema = await load(conn, START)
      const [owner] = await conn.query<{ name: string }>('select current_user as name')
      expect(schema.namespaces).toEqual([{ name: 'billing', privileges: [{ grantee: APP, privilege: 'USAGE' }] }])
      expect(schema.sequences[0]?.privileges).toEqual([
        { grantee: APP, privilege: 'SELECT' },
        { grantee: APP, privilege: 'USAGE' },
      ])
      const accounts = table(schema, 'accounts')
      expect(accounts.privileges).toEqual([
        { grantee: APP, privilege: 'INSERT' },
        { grantee: APP, privilege: 'SELECT' },
        { grantee: AUDIT, privilege: 'SELECT', grantable: true },
        { grantee: owner?.name, privilege: 'TRUNCATE', revoked: true },
      ])
      expect(accounts.rowLevelSecurity).toEqual({ enabled: true })
      expect(accounts.policies).toEqual([
        {
          name: 'managers',
          restrictive: true,
          command: 'UPDATE',
          roles: [APP],
          using: '(manager = CURRENT_USER)',
          withCheck: 'true',
          comment: 'own rows',
        },
        { name: 'readers', command: 'SELECT', roles: ['PUBLIC'], using: 'true' },
      ])
      expect(accounts.columns.find((c) => c.name === 'manager')?.collation).toBe('billing.posix')
      expect(schema.views[0]?.privileges).toEqual([{ grantee: 'PUBLIC', privilege: 'SELECT' }])
      expect(schema.routines?.[0]?.privileges).toEqual([{ grantee: APP, privilege: 'EXECUTE' }])
      expect(schema.collations).toEqual([
        { name: { schema: 'billing', name: 'mixed' }, provider: 'libc', lcCollate: 'C', lcCtype: 'POSIX' },
        { name: { schema: 'billing', name: 'posix' }, provider: 'libc', locale: 'POSIX' },
      ])
    })
  })

  it('leaves out default privileges: NULL ACLs, and ACLs granted and revoked again', async () => {
    await databases.use(0, async ({ conn }) => {
      const schema = await load(
        conn,
        `create table t (id int); grant select on t to ${APP}; revoke select on t from ${APP};
         create function f() returns int language sql as 'select 1';
         revoke execute on function f() from public; grant execute on function f() to public;`,
      )
      expect(table(schema, 't').privileges).toBeUndefined()
      expect(schema.routines?.[0]?.privileges).toBeUndefined()
    })
  })

  it.each([
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const)(
    'recreates the schema from empty exactly (%s policy), and its reverse empties the database',
    async (_p, policy) => {
      await databases.use(0, async (source) => {
        const schema = await load(source.conn, START)
        await databases.use(1, async ({ conn }) => {
          await createRoles(conn)
          const plan = dialect.plan(diff(emptySchema, schema).changes, policy)
          await applyPlan(conn, plan)
          const recreated = await dialect.introspect(conn)
          expect(diff(recreated, schema).changes).toEqual([])
          expect(recreated).toEqual(schema)
          await undo(conn, plan)
          expect(await dialect.introspect(conn)).toEqual(emptySchema)
        })
      })
    },
  )

  it('migrates to a changed schema, and its reverse comes back', async () => {
    await databases.use(0, async (target) => {
      const to = await load(target.conn, TARGET)
      await databases.use(1, async ({ conn }) => {
        const from = await load(conn, START)
        const plan = dialect.plan(diff(from, to).changes, safePolicy)
        const sql = plan.steps.map((s) => s.sql)
        expect(sql).toContain('REVOKE INSERT ON TABLE billing.accounts FROM keel_security_app')
        expect(sql).toContain('GRANT TRUNCATE ON TABLE billing.accounts TO postgres')
        expect(sql).toContain('ALTER TABLE billing.accounts FORCE ROW LEVEL SECURITY')
        // The policy reads a column that changes collation: dropped before, created after.
        expect(sql.indexOf('DROP POLICY managers ON billing.accounts')).toBeLessThan(
          sql.findIndex((s) => s.includes('ALTER COLUMN manager TYPE')),
        )
        await applyPlan(conn, plan)
        expect(diff(await dialect.introspect(conn), to).changes).toEqual([])
        await undo(conn, plan)
        expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
      })
    })
  })
})
