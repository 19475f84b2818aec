import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import type { Policy } from '../../plan/policy.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import type { Lock, Reverse, Step } from '../../plan/step.js'
import {
  check,
  col,
  enumOf,
  extensionOf,
  fk,
  index,
  namespaceOf,
  pk,
  sequenceOf,
  tableOf,
  unique,
  viewOf,
} from '../../schema/build.js'
import { planPostgres } from './plan.js'

const users = { schema: 'public', name: 'users' }
const orgs = { schema: 'public', name: 'orgs' }
const usersTable = tableOf(users, [col('id', 'int8', { nullable: false }), col('email', 'text')], {
  primaryKey: pk('users_pkey', ['id']),
})

interface Brief {
  readonly sql: string
  readonly reverse: Reverse
  readonly lock: Lock
  readonly transactional: boolean
}

const brief = (step: Step): Brief => ({
  sql: step.sql,
  reverse: step.reverse,
  lock: step.lock,
  transactional: step.transactional,
})
const sqlOf = (changes: readonly Change[], policy: Policy = safePolicy) =>
  planPostgres(changes, policy)
    .steps.map((step) => `${step.sql};`)
    .join('\n')

const accessExclusive = (...on: (typeof users)[]): Lock => ({ mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on })
const noLock: Lock = { mode: 'none', blocks: 'nothing', on: [] }

const emailIndex = index('users_email_idx', ['email'])
const orgFk = fk('users_org_fkey', ['org_id'], orgs, ['id'])

/** Atlas-style table: [name, changes, policy, expected steps]. */
const cases: readonly (readonly [string, readonly Change[], Policy, readonly Brief[]])[] = [
  [
    'safe: an index on an existing table is built concurrently, outside a transaction',
    [{ kind: 'createIndex', table: users, index: emailIndex }],
    safePolicy,
    [
      {
        sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON public.users (email)',
        reverse: { sql: 'DROP INDEX CONCURRENTLY public.users_email_idx' },
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [users] },
        transactional: false,
      },
    ],
  ],
  [
    'direct: CREATE INDEX blocks writes',
    [{ kind: 'createIndex', table: users, index: emailIndex }],
    directPolicy,
    [
      {
        sql: 'CREATE INDEX users_email_idx ON public.users (email)',
        reverse: { sql: 'DROP INDEX public.users_email_idx' },
        lock: { mode: 'SHARE', blocks: 'writes', on: [users] },
        transactional: true,
      },
    ],
  ],
  [
    'safe: an index on a table created in the same plan is built plainly, blocking nobody',
    [{ kind: 'createTable', table: { ...usersTable, indexes: [emailIndex] } }],
    safePolicy,
    [
      {
        sql: 'CREATE TABLE public.users (\n  id bigint NOT NULL,\n  email text,\n  CONSTRAINT users_pkey PRIMARY KEY (id)\n)',
        reverse: { sql: 'DROP TABLE public.users' },
        lock: noLock,
        transactional: true,
      },
      {
        sql: 'CREATE INDEX users_email_idx ON public.users (email)',
        reverse: { sql: 'DROP INDEX public.users_email_idx' },
        lock: { mode: 'SHARE', blocks: 'nothing', on: [], created: [{ schema: 'public', name: 'users' }] },
        transactional: true,
      },
    ],
  ],
  [
    'safe: DROP INDEX CONCURRENTLY',
    [{ kind: 'dropIndex', table: users, index: emailIndex }],
    safePolicy,
    [
      {
        sql: 'DROP INDEX CONCURRENTLY public.users_email_idx',
        reverse: { sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON public.users (email)' },
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [users] },
        transactional: false,
      },
    ],
  ],
  [
    'direct: DROP INDEX',
    [{ kind: 'dropIndex', table: users, index: emailIndex }],
    directPolicy,
    [
      {
        sql: 'DROP INDEX public.users_email_idx',
        reverse: { sql: 'CREATE INDEX users_email_idx ON public.users (email)' },
        lock: accessExclusive(users),
        transactional: true,
      },
    ],
  ],
  [
    'safe: a foreign key is added NOT VALID, then validated in its own step',
    [{ kind: 'addForeignKey', table: users, foreignKey: orgFk }],
    safePolicy,
    [
      {
        sql: 'ALTER TABLE public.users ADD CONSTRAINT users_org_fkey FOREIGN KEY (org_id) REFERENCES public.orgs (id) NOT VALID',
        reverse: { sql: 'ALTER TABLE public.users DROP CONSTRAINT users_org_fkey' },
        lock: { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [users, orgs] },
        transactional: true,
      },
      {
        sql: 'ALTER TABLE public.users VALIDATE CONSTRAINT users_org_fkey',
        reverse: { sql: '' },
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [users] },
        transactional: false,
      },
    ],
  ],
  [
    'direct: ADD FOREIGN KEY locks both tables while it scans',
    [{ kind: 'addForeignKey', table: users, foreignKey: orgFk }],
    directPolicy,
    [
      {
        sql: 'ALTER TABLE public.users ADD CONSTRAINT users_org_fkey FOREIGN KEY (org_id) REFERENCES public.orgs (id)',
        reverse: { sql: 'ALTER TABLE public.users DROP CONSTRAINT users_org_fkey' },
        lock: { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [users, orgs] },
        transactional: true,
      },
    ],
  ],
  [
    'safe: a check is added NOT VALID, then validated',
    [{ kind: 'addCheck', table: users, check: check('users_id_check', '(id > 0)') }],
    safePolicy,
    [
      {
        sql: 'ALTER TABLE public.users ADD CONSTRAINT users_id_check CHECK ((id > 0)) NOT VALID',
        reverse: { sql: 'ALTER TABLE public.users DROP CONSTRAINT users_id_check' },
        lock: accessExclusive(users),
        transactional: true,
      },
      {
        sql: 'ALTER TABLE public.users VALIDATE CONSTRAINT users_id_check',
        reverse: { sql: '' },
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [users] },
        transactional: false,
      },
    ],
  ],
  [
    'a check the schema declares NOT VALID is added so and never validated, on either policy',
    [{ kind: 'addCheck', table: users, check: { ...check('users_id_check', '(id > 0)'), notValid: true } }],
    safePolicy,
    [
      {
        sql: 'ALTER TABLE public.users ADD CONSTRAINT users_id_check CHECK ((id > 0)) NOT VALID',
        reverse: { sql: 'ALTER TABLE public.users DROP CONSTRAINT users_id_check' },
        lock: accessExclusive(users),
        transactional: true,
      },
    ],
  ],
  [
    'direct: a check is added and validated at once',
    [{ kind: 'addCheck', table: users, check: check('users_id_check', '(id > 0)') }],
    directPolicy,
    [
      {
        sql: 'ALTER TABLE public.users ADD CONSTRAINT users_id_check CHECK ((id > 0))',
        reverse: { sql: 'ALTER TABLE public.users DROP CONSTRAINT users_id_check' },
        lock: accessExclusive(users),
        transactional: true,
      },
    ],
  ],
  [
    'safe: SET NOT NULL goes through a validated check',
    [
      {
        kind: 'alterColumn',
        table: users,
        from: col('email', 'text'),
        to: col('email', 'text', { nullable: false }),
        aspects: ['nullable'],
      },
    ],
    safePolicy,
    [
      {
        sql: 'ALTER TABLE public.users ADD CONSTRAINT users_email_keel_nn CHECK (email IS NOT NULL) NOT VALID',
        reverse: { sql: 'ALTER TABLE public.users DROP CONSTRAINT users_email_keel_nn' },
        lock: accessExclusive(users),
        transactional: true,
      },
      {
        sql: 'ALTER TABLE public.users VALIDATE CONSTRAINT users_email_keel_nn',
        reverse: { sql: '' },
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [users] },
        transactional: false,
      },
      {
        sql: 'ALTER TABLE public.users ALTER COLUMN email SET NOT NULL',
        reverse: { sql: 'ALTER TABLE public.users ALTER COLUMN email DROP NOT NULL' },
        lock: accessExclusive(users),
        transactional: true,
      },
      {
        sql: 'ALTER TABLE public.users DROP CONSTRAINT users_email_keel_nn',
        reverse: {
          sql: 'ALTER TABLE public.users ADD CONSTRAINT users_email_keel_nn CHECK (email IS NOT NULL) NOT VALID',
        },
        lock: accessExclusive(users),
        transactional: true,
      },
    ],
  ],
  [
    'direct: SET NOT NULL',
    [
      {
        kind: 'alterColumn',
        table: users,
        from: col('email', 'text'),
        to: col('email', 'text', { nullable: false }),
        aspects: ['nullable'],
      },
    ],
    directPolicy,
    [
      {
        sql: 'ALTER TABLE public.users ALTER COLUMN email SET NOT NULL',
        reverse: { sql: 'ALTER TABLE public.users ALTER COLUMN email DROP NOT NULL' },
        lock: accessExclusive(users),
        transactional: true,
      },
    ],
  ],
  [
    'renames come back by renaming back',
    [{ kind: 'renameColumn', table: users, from: 'name', to: 'Full Name' }],
    safePolicy,
    [
      {
        sql: 'ALTER TABLE public.users RENAME COLUMN name TO "Full Name"',
        reverse: { sql: 'ALTER TABLE public.users RENAME COLUMN "Full Name" TO name' },
        lock: accessExclusive(users),
        transactional: true,
      },
    ],
  ],
  [
    'a table moved to another schema and renamed: SET SCHEMA, then RENAME',
    [{ kind: 'renameTable', from: users, to: { schema: 'app', name: 'people' } }],
    safePolicy,
    [
      {
        sql: 'ALTER TABLE public.users SET SCHEMA app',
        reverse: { sql: 'ALTER TABLE app.users SET SCHEMA public' },
        lock: accessExclusive(users),
        transactional: true,
      },
      {
        sql: 'ALTER TABLE app.users RENAME TO people',
        reverse: { sql: 'ALTER TABLE app.people RENAME TO users' },
        lock: accessExclusive({ schema: 'app', name: 'users' }),
        transactional: true,
      },
    ],
  ],
  [
    'an enum, namespace and extension lock no table',
    [
      { kind: 'createNamespace', namespace: namespaceOf('app') },
      { kind: 'createExtension', extension: extensionOf('citext', { schema: 'app' }) },
      { kind: 'createEnum', enum: enumOf('app.mood', ['sad', 'happy']) },
    ],
    safePolicy,
    [
      { sql: 'CREATE SCHEMA app', reverse: { sql: 'DROP SCHEMA app' }, lock: noLock, transactional: true },
      {
        sql: 'CREATE EXTENSION citext SCHEMA app',
        reverse: { sql: 'DROP EXTENSION citext' },
        lock: noLock,
        transactional: true,
      },
      {
        sql: `CREATE TYPE app.mood AS ENUM ('sad', 'happy')`,
        reverse: { sql: 'DROP TYPE app.mood' },
        lock: noLock,
        transactional: true,
      },
    ],
  ],
]

describe('planPostgres', () => {
  it.each(cases)('%s', (_name, changes, policy, expected) => {
    expect(planPostgres(changes, policy).steps.map(brief)).toEqual(expected)
  })

  it('names its dialect', () => {
    expect(planPostgres([], safePolicy)).toEqual({ dialect: 'postgres', steps: [] })
  })
})

describe('step facts', () => {
  it('marks drops as certain data loss in the contract phase', () => {
    const [dropTable] = planPostgres([{ kind: 'dropTable', table: usersTable }], safePolicy).steps
    expect(dropTable).toMatchObject({ sql: 'DROP TABLE public.users', dataLoss: 'certain', phase: 'contract' })
    const [dropColumn] = planPostgres(
      [{ kind: 'dropColumn', table: users, column: col('email', 'text') }],
      safePolicy,
    ).steps
    expect(dropColumn).toMatchObject({
      sql: 'ALTER TABLE public.users DROP COLUMN email',
      reverse: { sql: 'ALTER TABLE public.users ADD COLUMN email text' },
      dataLoss: 'certain',
      phase: 'contract',
      rewritesTable: false,
    })
  })

  it('marks additive steps as the expand phase without data loss', () => {
    const steps = planPostgres([{ kind: 'createTable', table: usersTable }], safePolicy).steps
    expect(steps.map((s) => [s.phase, s.dataLoss])).toEqual([['expand', 'none']])
  })

  it('keeps the change each step carries out as its source', () => {
    const change: Change = { kind: 'createIndex', table: users, index: emailIndex }
    expect(planPostgres([change], safePolicy).steps[0]?.source).toEqual(change)
  })

  it('says which added columns rewrite or scan the table', () => {
    const add = (column: ReturnType<typeof col>) =>
      planPostgres([{ kind: 'addColumn', table: users, column }], safePolicy).steps[0]
    expect(add(col('n', 'int4', { default: '0' }))).toMatchObject({ rewritesTable: false, scansTable: false })
    expect(add(col('at', 'timestamptz', { default: 'now()' }))).toMatchObject({ rewritesTable: false })
    expect(add(col('key', 'uuid', { default: 'gen_random_uuid()' }))).toMatchObject({ rewritesTable: true })
    expect(add(col('n', 'int4', { nullable: false, serial: true }))).toMatchObject({ rewritesTable: true })
    expect(add(col('n', 'int4', { nullable: false }))).toMatchObject({ rewritesTable: false, scansTable: true })
    expect(add(col('g', 'int4', { generated: { expr: '(id * 2)', stored: true } }))).toMatchObject({
      rewritesTable: true,
    })
  })

  it('writes a comment for people on every step', () => {
    const steps = planPostgres(
      [
        { kind: 'createIndex', table: users, index: emailIndex },
        { kind: 'addForeignKey', table: users, foreignKey: orgFk },
      ],
      safePolicy,
    ).steps
    expect(steps.map((s) => s.comment)).toEqual([
      'Create index users_email_idx on public.users concurrently',
      'Add foreign key users_org_fkey from public.users to public.orgs without validating existing rows',
      'Validate constraint users_org_fkey on public.users without blocking writes',
    ])
  })

  it('makes an extension update irreversible when the old version is unknown', () => {
    const steps = planPostgres(
      [{ kind: 'alterExtension', from: extensionOf('citext'), to: extensionOf('citext', { version: '1.6' }) }],
      safePolicy,
    ).steps
    expect(steps.map(brief)).toEqual([
      {
        sql: `ALTER EXTENSION citext UPDATE TO '1.6'`,
        reverse: { irreversible: 'the previous version of extension citext is not known' },
        lock: noLock,
        transactional: true,
      },
    ])
  })

  it('switches a table between logged and unlogged with a rewrite', () => {
    const unlogged = { ...usersTable, ext: { postgres: { unlogged: true } } }
    const [step] = planPostgres(
      [{ kind: 'alterTable', table: users, from: usersTable, to: unlogged }],
      safePolicy,
    ).steps
    expect(step).toMatchObject({
      sql: 'ALTER TABLE public.users SET UNLOGGED',
      reverse: { sql: 'ALTER TABLE public.users SET LOGGED' },
      rewritesTable: true,
      lock: accessExclusive(users),
    })
  })
})

describe('reverse SQL', () => {
  it('recreates a dropped table with its indexes, foreign keys and comments', () => {
    const table = tableOf(
      users,
      [col('id', 'int8', { nullable: false }), col('org_id', 'int8', { comment: 'owner' })],
      {
        primaryKey: pk('users_pkey', ['id']),
        uniques: [unique('users_org_key', ['org_id'])],
        indexes: [index('users_org_idx', ['org_id'], { comment: 'lookups' })],
        foreignKeys: [fk('users_org_fkey', ['org_id'], orgs, ['id'])],
        comment: 'people',
      },
    )
    const [step] = planPostgres([{ kind: 'dropTable', table }], safePolicy).steps
    expect(step?.sql).toBe('DROP TABLE public.users')
    expect(step?.reverse).toMatchInlineSnapshot(`
      {
        "sql": "CREATE TABLE public.users (
        id bigint NOT NULL,
        org_id bigint,
        CONSTRAINT users_pkey PRIMARY KEY (id),
        CONSTRAINT users_org_key UNIQUE (org_id),
        CONSTRAINT users_org_fkey FOREIGN KEY (org_id) REFERENCES public.orgs (id)
      );
      CREATE INDEX users_org_idx ON public.users (org_id);
      COMMENT ON INDEX public.users_org_idx IS 'lookups';
      COMMENT ON TABLE public.users IS 'people';
      COMMENT ON COLUMN public.users.org_id IS 'owner'",
      }
    `)
  })

  it('recreates a dropped view', () => {
    const view = viewOf('public.active', ' SELECT id\n   FROM users;', ['public.users'], { comment: 'active ones' })
    const [step] = planPostgres([{ kind: 'dropView', view }], safePolicy).steps
    expect(step?.reverse).toEqual({
      sql: "CREATE VIEW public.active AS\nSELECT id\n   FROM users;\nCOMMENT ON VIEW public.active IS 'active ones'",
    })
  })
})

describe('rendered SQL', () => {
  it('renders a whole schema from nothing', () => {
    const changes: Change[] = [
      { kind: 'createExtension', extension: extensionOf('pgcrypto') },
      { kind: 'createSequence', sequence: sequenceOf('public.invoice_no', { start: 1000 }) },
      {
        kind: 'createTable',
        table: tableOf(
          users,
          [
            col('id', 'uuid', { nullable: false, default: 'gen_random_uuid()' }),
            col('email', 'text', { nullable: false }),
            col('org_id', 'int8'),
          ],
          {
            primaryKey: pk('users_pkey', ['id']),
            uniques: [unique('users_email_key', ['email'])],
            foreignKeys: [fk('users_org_id_fkey', ['org_id'], orgs, ['id'], { onDelete: 'SET NULL' })],
            comment: 'people',
          },
        ),
      },
      {
        kind: 'createTable',
        table: tableOf(
          orgs,
          [col('id', 'int8', { nullable: false, identity: { always: true } }), col('name', 'text')],
          {
            primaryKey: pk('orgs_pkey', ['id']),
            indexes: [index('orgs_name_idx', ['name'])],
          },
        ),
      },
    ]
    expect(sqlOf(changes)).toMatchInlineSnapshot(`
      "CREATE EXTENSION pgcrypto;
      CREATE SEQUENCE public.invoice_no START WITH 1000;
      CREATE TABLE public.orgs (
        id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        name text,
        CONSTRAINT orgs_pkey PRIMARY KEY (id)
      );
      CREATE TABLE public.users (
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        email text NOT NULL,
        org_id bigint,
        CONSTRAINT users_pkey PRIMARY KEY (id),
        CONSTRAINT users_email_key UNIQUE (email),
        CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs (id) ON DELETE SET NULL
      );
      CREATE INDEX orgs_name_idx ON public.orgs (name);
      COMMENT ON TABLE public.users IS 'people';"
    `)
  })
})
