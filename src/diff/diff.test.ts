import { describe, expect, it } from 'vitest'
import { invertChange } from '../plan/invert.js'
import {
  arrayOf,
  check,
  col,
  domainOf,
  enumOf,
  enumRef,
  extensionOf,
  fk,
  index,
  nameOf,
  namespaceOf,
  pk,
  routineOf,
  schemaOf,
  sequenceOf,
  tableOf,
  triggerOf,
  unique,
  viewOf,
} from '../schema/build.js'
import type { Schema, Table } from '../schema/model.js'
import type { Change, ChangeKind, SecurityChange, TableStructureChange } from './change.js'
import { diff } from './diff.js'

const users = tableOf(
  'public.users',
  [
    col('id', 'int8', { nullable: false, identity: { always: true } }),
    col('email', 'text', { nullable: false, collation: 'C' }),
    col('name', 'text', { comment: 'display name' }),
    col('status', enumRef('public.status'), { nullable: false, default: "'active'::status" }),
    col('tags', arrayOf(enumRef('public.status'))),
    col('lower_email', 'text', { generated: { expr: 'lower(email)', stored: true } }),
    col('created_at', 'timestamptz', { nullable: false, default: 'now()' }),
  ],
  {
    primaryKey: pk('users_pkey', ['id']),
    uniques: [unique('users_email_key', ['email'])],
    indexes: [
      index('users_lower_idx', [{ expr: 'lower(name)' }]),
      index('users_created_idx', [{ column: 'created_at', descending: true }], {
        where: "(status = 'active'::status)",
      }),
    ],
    checks: [check('users_email_check', "(email <> ''::text)")],
    comment: 'people',
  },
)

const orders = tableOf(
  'public.orders',
  [
    col('id', 'int4', { nullable: false, serial: true }),
    col('user_id', 'int8', { nullable: false }),
    col('total', { kind: 'decimal', precision: 10, scale: 2 }),
  ],
  {
    primaryKey: pk('orders_pkey', ['id']),
    foreignKeys: [fk('orders_user_id_fkey', ['user_id'], 'public.users', ['id'], { onDelete: 'CASCADE' })],
    indexes: [index('orders_user_id_idx', ['user_id'])],
  },
)

const positive = domainOf('public.positive', 'int4', { checks: [check('positive_check', '(VALUE > 0)')] })
const touchBody = (body: string) =>
  `CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$${body}$function$`
const touch = routineOf('public.touch', touchBody('BEGIN RETURN NEW; END'), { returns: 'trigger' })
const touchUsers = triggerOf(
  'public.users',
  'users_touch',
  'public.touch',
  'CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()',
)

/** A schema with one of everything. */
const rich: Schema = schemaOf({
  namespaces: [namespaceOf('app', { comment: 'application' })],
  extensions: [extensionOf('pgcrypto', { version: '1.3' })],
  enums: [enumOf('public.status', ['active', 'disabled'])],
  sequences: [sequenceOf('public.invoice_seq', { start: 1000 })],
  tables: [users, orders],
  domains: [positive],
  routines: [touch],
  triggers: [touchUsers],
  views: [
    viewOf('public.active_users', 'SELECT id FROM users', ['public.users']),
    viewOf('public.user_totals', 'SELECT user_id, sum(total) FROM orders GROUP BY 1', ['public.orders'], {
      materialized: true,
      indexes: [index('user_totals_user_idx', ['user_id'])],
    }),
  ],
})

/** `rich` with one table replaced. */
function withTable(name: string, edit: (table: Table) => Table, schema: Schema = rich): Schema {
  const key = nameOf(name)
  return { ...schema, tables: schema.tables.map((t) => (t.name.name === key.name ? edit(t) : t)) }
}

const T = nameOf('public.users')
const O = nameOf('public.orders')
const newTable = tableOf('app.events', [col('id', 'int8')])
const newColumn = col('bio', 'text')
const newIndex = index('users_name_idx', ['name'])
const newCheck = check('users_name_check', '(length(name) > 0)')
const newView = viewOf('public.recent', 'SELECT 1', [])

interface Case {
  readonly name: string
  readonly to: Schema
  readonly expected: readonly Change[]
  /** Why diff(to, from) is not the inverse of diff(from, to). */
  readonly oneWay?: string
}

const cases: readonly Case[] = [
  {
    name: 'createNamespace',
    to: { ...rich, namespaces: [...rich.namespaces, namespaceOf('audit')] },
    expected: [{ kind: 'createNamespace', namespace: namespaceOf('audit') }],
  },
  {
    name: 'dropNamespace',
    to: { ...rich, namespaces: [] },
    expected: [{ kind: 'dropNamespace', namespace: rich.namespaces[0]! }],
  },
  {
    name: 'setComment namespace',
    to: { ...rich, namespaces: [namespaceOf('app')] },
    expected: [{ kind: 'setComment', target: { kind: 'namespace', name: 'app' }, from: 'application', to: undefined }],
  },
  {
    name: 'createExtension',
    to: { ...rich, extensions: [...rich.extensions, extensionOf('citext')] },
    expected: [{ kind: 'createExtension', extension: extensionOf('citext') }],
  },
  {
    name: 'dropExtension',
    to: { ...rich, extensions: [] },
    expected: [{ kind: 'dropExtension', extension: rich.extensions[0]! }],
  },
  {
    name: 'alterExtension (version, both stated)',
    to: { ...rich, extensions: [extensionOf('pgcrypto', { version: '1.4' })] },
    expected: [{ kind: 'alterExtension', from: rich.extensions[0]!, to: extensionOf('pgcrypto', { version: '1.4' }) }],
  },
  {
    name: 'extension version left to the server',
    to: { ...rich, extensions: [extensionOf('pgcrypto')] },
    expected: [],
  },
  {
    name: 'alterExtension (schema)',
    to: { ...rich, extensions: [extensionOf('pgcrypto', { version: '1.3', schema: 'app' })] },
    expected: [
      {
        kind: 'alterExtension',
        from: rich.extensions[0]!,
        to: extensionOf('pgcrypto', { version: '1.3', schema: 'app' }),
      },
    ],
  },
  {
    name: 'createEnum',
    to: { ...rich, enums: [...rich.enums, enumOf('public.mood', ['ok'])] },
    expected: [{ kind: 'createEnum', enum: enumOf('public.mood', ['ok']) }],
  },
  {
    name: 'setComment enum',
    to: { ...rich, enums: [enumOf('public.status', ['active', 'disabled'], { comment: 'state' })] },
    expected: [
      { kind: 'setComment', target: { kind: 'enum', name: nameOf('public.status') }, from: undefined, to: 'state' },
    ],
  },
  {
    name: 'createSequence',
    to: { ...rich, sequences: [...rich.sequences, sequenceOf('public.s2')] },
    expected: [{ kind: 'createSequence', sequence: sequenceOf('public.s2') }],
  },
  {
    name: 'dropSequence',
    to: { ...rich, sequences: [] },
    expected: [{ kind: 'dropSequence', sequence: rich.sequences[0]! }],
  },
  {
    name: 'alterSequence',
    to: { ...rich, sequences: [sequenceOf('public.invoice_seq', { start: 1000, increment: 2 })] },
    expected: [
      {
        kind: 'alterSequence',
        from: rich.sequences[0]!,
        to: sequenceOf('public.invoice_seq', { start: 1000, increment: 2 }),
      },
    ],
  },
  {
    name: 'setComment sequence',
    to: { ...rich, sequences: [sequenceOf('public.invoice_seq', { start: 1000, comment: 'n' })] },
    expected: [
      {
        kind: 'setComment',
        target: { kind: 'sequence', name: nameOf('public.invoice_seq') },
        from: undefined,
        to: 'n',
      },
    ],
  },
  {
    name: 'createTable',
    to: { ...rich, tables: [...rich.tables, newTable] },
    expected: [{ kind: 'createTable', table: newTable }],
  },
  {
    name: 'alterTable (ext)',
    to: withTable('users', (t) => ({ ...t, ext: { postgres: { unlogged: true } } })),
    expected: [{ kind: 'alterTable', table: T, from: users, to: { ...users, ext: { postgres: { unlogged: true } } } }],
  },
  {
    name: 'setComment table',
    to: withTable('users', (t) => ({ ...t, comment: 'humans' })),
    expected: [{ kind: 'setComment', target: { kind: 'table', name: T }, from: 'people', to: 'humans' }],
  },
  {
    name: 'addColumn',
    to: withTable('users', (t) => ({ ...t, columns: [...t.columns, newColumn] })),
    expected: [{ kind: 'addColumn', table: T, column: newColumn }],
  },
  {
    name: 'alterColumn',
    to: withTable('orders', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'total' ? { ...c, nullable: false } : c)),
    })),
    expected: [
      {
        kind: 'alterColumn',
        table: O,
        from: orders.columns[2]!,
        to: { ...orders.columns[2]!, nullable: false },
        aspects: ['nullable'],
      },
    ],
  },
  {
    name: 'renameConstraint: a primary key that only changes its name',
    to: withTable('orders', (t) => ({ ...t, primaryKey: pk('orders_pk', ['id']) })),
    expected: [{ kind: 'renameConstraint', table: O, from: 'orders_pkey', to: 'orders_pk' }],
  },
  {
    name: 'drop and add primary key (new columns)',
    to: withTable('orders', (t) => ({ ...t, primaryKey: pk('orders_pkey', ['id', 'user_id']) })),
    expected: [
      { kind: 'dropPrimaryKey', table: O, primaryKey: pk('orders_pkey', ['id']) },
      { kind: 'addPrimaryKey', table: O, primaryKey: pk('orders_pkey', ['id', 'user_id']) },
    ],
  },
  {
    name: 'renameIndex: an index that only changes its name',
    to: withTable('orders', (t) => ({
      ...t,
      indexes: t.indexes.map((i, n) => (n === 0 ? { ...i, name: 'orders_renamed_idx' } : i)),
    })),
    expected: [{ kind: 'renameIndex', table: O, from: 'orders_user_id_idx', to: 'orders_renamed_idx' }],
  },
  {
    name: 'addUnique',
    to: withTable('orders', (t) => ({ ...t, uniques: [unique('orders_uq', ['user_id', 'id'])] })),
    expected: [{ kind: 'addUnique', table: O, unique: unique('orders_uq', ['user_id', 'id']) }],
  },
  {
    name: 'dropUnique',
    to: withTable('users', (t) => ({ ...t, uniques: [] })),
    expected: [{ kind: 'dropUnique', table: T, unique: users.uniques[0]! }],
  },
  {
    name: 'setComment constraint',
    to: withTable('users', (t) => ({ ...t, uniques: [unique('users_email_key', ['email'], { comment: 'one each' })] })),
    expected: [
      {
        kind: 'setComment',
        target: { kind: 'constraint', table: T, constraint: 'users_email_key' },
        from: undefined,
        to: 'one each',
      },
    ],
  },
  {
    name: 'createIndex',
    to: withTable('users', (t) => ({ ...t, indexes: [...t.indexes, newIndex] })),
    expected: [{ kind: 'createIndex', table: T, index: newIndex }],
  },
  {
    name: 'dropIndex and createIndex (method changed)',
    to: withTable('orders', (t) => ({ ...t, indexes: [index('orders_user_id_idx', ['user_id'], { method: 'hash' })] })),
    expected: [
      { kind: 'dropIndex', table: O, index: orders.indexes[0]! },
      { kind: 'createIndex', table: O, index: index('orders_user_id_idx', ['user_id'], { method: 'hash' }) },
    ],
  },
  {
    name: 'setComment index',
    to: withTable('orders', (t) => ({ ...t, indexes: [index('orders_user_id_idx', ['user_id'], { comment: 'fk' })] })),
    expected: [
      {
        kind: 'setComment',
        target: { kind: 'index', table: O, index: 'orders_user_id_idx' },
        from: undefined,
        to: 'fk',
      },
    ],
  },
  {
    name: 'dropForeignKey and addForeignKey (action changed)',
    to: withTable('orders', (t) => ({ ...t, foreignKeys: [{ ...t.foreignKeys[0]!, onDelete: 'RESTRICT' }] })),
    expected: [
      { kind: 'dropForeignKey', table: O, foreignKey: orders.foreignKeys[0]! },
      { kind: 'addForeignKey', table: O, foreignKey: { ...orders.foreignKeys[0]!, onDelete: 'RESTRICT' } },
    ],
  },
  {
    name: 'addCheck',
    to: withTable('users', (t) => ({ ...t, checks: [...t.checks, newCheck] })),
    expected: [{ kind: 'addCheck', table: T, check: newCheck }],
  },
  {
    name: 'dropCheck',
    to: withTable('users', (t) => ({ ...t, checks: [] })),
    expected: [{ kind: 'dropCheck', table: T, check: users.checks[0]! }],
  },
  {
    name: 'createView',
    to: { ...rich, views: [...rich.views, newView] },
    expected: [{ kind: 'createView', view: newView }],
  },
  {
    name: 'setComment view and materializedView',
    to: { ...rich, views: rich.views.map((v) => ({ ...v, comment: 'c' })) },
    expected: [
      { kind: 'setComment', target: { kind: 'view', name: nameOf('public.active_users') }, from: undefined, to: 'c' },
      {
        kind: 'setComment',
        target: { kind: 'materializedView', name: nameOf('public.user_totals') },
        from: undefined,
        to: 'c',
      },
    ],
  },
  {
    name: 'matview indexes alone → dropIndex/createIndex on the view',
    to: {
      ...rich,
      views: [
        rich.views[0]!,
        { ...rich.views[1]!, indexes: [index('user_totals_user_idx', ['user_id'], { unique: true })] },
      ],
    },
    expected: [
      { kind: 'dropIndex', table: nameOf('public.user_totals'), index: rich.views[1]!.indexes[0]! },
      {
        kind: 'createIndex',
        table: nameOf('public.user_totals'),
        index: index('user_totals_user_idx', ['user_id'], { unique: true }),
      },
    ],
  },
  {
    name: 'dropTable carries its indexes and constraints; a view over it goes too',
    to: { ...rich, tables: [users], views: [rich.views[0]!] },
    expected: [
      { kind: 'dropTable', table: orders },
      { kind: 'dropView', view: rich.views[1]! },
    ],
  },
  {
    name: 'dropEnum, dropColumn of its users after the index over them; a view not naming them stays',
    to: {
      ...withTable('users', (t) => ({
        ...t,
        columns: t.columns.filter((c) => c.name !== 'status' && c.name !== 'tags'),
        indexes: [t.indexes[0]!],
      })),
      enums: [],
    },
    expected: [
      { kind: 'dropEnum', enum: rich.enums[0]! },
      { kind: 'dropIndex', table: T, index: users.indexes[1]! },
      { kind: 'dropColumn', table: T, column: users.columns[3]! },
      { kind: 'dropColumn', table: T, column: users.columns[4]! },
    ],
  },
  {
    name: 'alterEnum lists every column using the enum, arrays included, and, for its reverse, what reads them',
    to: { ...rich, enums: [enumOf('public.status', ['active', 'disabled', 'banned'])] },
    oneWay: 'the way back removes a value: the enum is recreated, and the index whose predicate reads it with it',
    expected: [
      {
        kind: 'alterEnum',
        from: rich.enums[0]!,
        to: enumOf('public.status', ['active', 'disabled', 'banned']),
        usages: [
          { table: T, column: users.columns[3]! },
          { table: T, column: users.columns[4]! },
        ],
        dependents: [{ kind: 'dropIndex', table: T, index: users.indexes[1]! }],
      },
    ],
  },
  {
    name: 'alterEnum that removes a value recreates the indexes and checks that read its columns',
    oneWay: 'the way back only adds a value (ALTER TYPE ... ADD VALUE): nothing is recreated',
    to: {
      ...withTable('users', (t) => ({
        ...t,
        checks: [...t.checks, check('users_status_check', "(status <> 'disabled'::status)")],
      })),
      enums: [enumOf('public.status', ['active'])],
    },
    expected: [
      {
        kind: 'alterEnum',
        from: rich.enums[0]!,
        to: enumOf('public.status', ['active']),
        usages: [
          { table: T, column: users.columns[3]! },
          { table: T, column: users.columns[4]! },
        ],
      },
      { kind: 'dropIndex', table: T, index: users.indexes[1]! },
      { kind: 'addCheck', table: T, check: check('users_status_check', "(status <> 'disabled'::status)") },
      { kind: 'createIndex', table: T, index: users.indexes[1]! },
    ],
  },
  {
    name: 'dropView and createView when the definition changes',
    to: { ...rich, views: [{ ...rich.views[0]!, definition: 'SELECT id, email FROM users' }, rich.views[1]!] },
    expected: [
      { kind: 'dropView', view: rich.views[0]! },
      { kind: 'createView', view: { ...rich.views[0]!, definition: 'SELECT id, email FROM users' } },
    ],
  },
  {
    name: 'renameTable from a hint',
    to: withTable('orders', (t) => ({ ...t, name: nameOf('public.purchases'), renamedFrom: O })),
    expected: [{ kind: 'renameTable', from: O, to: nameOf('public.purchases'), serialColumns: ['id'] }],
    oneWay: 'the way back has no hint: a drop, an add and a question',
  },
  {
    name: 'renameColumn from a hint; the matview over the table is recreated',
    to: withTable('orders', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'total' ? { ...c, name: 'amount', renamedFrom: 'total' } : c)),
    })),
    expected: [
      { kind: 'renameColumn', table: O, from: 'total', to: 'amount' },
      { kind: 'dropView', view: rich.views[1]! },
      { kind: 'createView', view: rich.views[1]! },
    ],
    oneWay: 'the way back has no hint: a drop, an add and a question',
  },
  {
    name: 'createDomain',
    to: { ...rich, domains: [...(rich.domains ?? []), domainOf('public.short_text', 'text')] },
    expected: [{ kind: 'createDomain', domain: domainOf('public.short_text', 'text') }],
  },
  {
    name: 'dropDomain',
    to: { ...rich, domains: [] },
    expected: [{ kind: 'dropDomain', domain: positive }],
  },
  {
    name: 'alterDomain',
    to: { ...rich, domains: [{ ...positive, notNull: true }] },
    expected: [{ kind: 'alterDomain', from: positive, to: { ...positive, notNull: true } }],
  },
  {
    name: 'createRoutine: overloads are routines of their own',
    to: { ...rich, routines: [touch, { ...touch, identityArgs: 'integer', arguments: 'n integer' }] },
    expected: [{ kind: 'createRoutine', routine: { ...touch, identityArgs: 'integer', arguments: 'n integer' } }],
  },
  {
    name: 'dropRoutine and dropTrigger',
    to: { ...rich, routines: [], triggers: [] },
    expected: [
      { kind: 'dropRoutine', routine: touch },
      { kind: 'dropTrigger', trigger: touchUsers },
    ],
  },
  {
    name: 'alterRoutine for a new body; dependsOn is not compared',
    to: { ...rich, routines: [{ ...touch, definition: touchBody('BEGIN RETURN OLD; END') }] },
    expected: [{ kind: 'alterRoutine', from: touch, to: { ...touch, definition: touchBody('BEGIN RETURN OLD; END') } }],
  },
  {
    name: 'alterRoutine that must recreate the function recreates the triggers calling it',
    to: { ...rich, routines: [{ ...touch, returns: 'event_trigger', definition: touchBody('') }] },
    expected: [
      { kind: 'alterRoutine', from: touch, to: { ...touch, returns: 'event_trigger', definition: touchBody('') } },
      { kind: 'dropTrigger', trigger: touchUsers },
      { kind: 'createTrigger', trigger: touchUsers },
    ],
  },
  {
    name: 'createTrigger',
    to: { ...rich, triggers: [touchUsers, { ...touchUsers, name: 'users_touch2' }] },
    expected: [{ kind: 'createTrigger', trigger: { ...touchUsers, name: 'users_touch2' } }],
  },
  {
    name: 'alterTrigger when only the enabled state changes',
    to: { ...rich, triggers: [{ ...touchUsers, enabled: 'D' }] },
    expected: [{ kind: 'alterTrigger', from: touchUsers, to: { ...touchUsers, enabled: 'D' } }],
  },
  {
    name: 'a trigger on a recreated view is dropped and created with it',
    to: {
      ...rich,
      views: [{ ...rich.views[0]!, definition: 'SELECT id, email FROM users' }, rich.views[1]!],
      triggers: [touchUsers, { ...touchUsers, table: nameOf('public.active_users') }],
    },
    expected: [
      { kind: 'dropView', view: rich.views[0]! },
      { kind: 'createView', view: { ...rich.views[0]!, definition: 'SELECT id, email FROM users' } },
      { kind: 'createTrigger', trigger: { ...touchUsers, table: nameOf('public.active_users') } },
    ],
  },
]

describe('diff: one change of each kind from a rich schema', () => {
  it.each(cases)('$name', ({ to, expected }) => {
    expect(diff(rich, to)).toEqual({ changes: expected, questions: [] })
  })
})

describe('diff: a recreated enum', () => {
  it('lists its columns as `from` has them: the recreation restores the default they have then', () => {
    // B gives status a new default: alterColumn sets it after the enum is recreated, so the recreation must drop
    // and restore A's, or the reverse would end with B's default.
    const to = withTable('users', (t) => ({
      ...t,
      columns: t.columns.map((c) =>
        c.name === 'status' ? { ...c, default: { kind: 'sql', sql: "'banned'::status" } } : c,
      ),
    }))
    const changes = diff(rich, { ...to, enums: [enumOf('public.status', ['banned', 'active'])] }).changes
    const alter = changes.find((c) => c.kind === 'alterEnum')
    expect(alter?.kind === 'alterEnum' && alter.usages.map((u) => u.column)).toEqual([
      users.columns[3],
      users.columns[4],
    ])
  })
})

describe('diff: invariants', () => {
  it('diff(A, A) is empty for a rich schema', () => {
    expect(diff(rich, rich)).toEqual({ changes: [], questions: [] })
  })

  it('ignores the order of columns, constraints, indexes and objects', () => {
    const reversed = <T>(list: readonly T[]): T[] => [...list].reverse()
    const shuffled: Schema = {
      ...rich,
      tables: reversed(rich.tables).map((t) => ({
        ...t,
        columns: reversed(t.columns),
        indexes: reversed(t.indexes),
        uniques: reversed(t.uniques),
      })),
      views: reversed(rich.views),
    }
    expect(diff(rich, shuffled)).toEqual({ changes: [], questions: [] })
  })

  it('ignores rename hints that do not apply', () => {
    const hinted = withTable('users', (t) => ({
      ...t,
      renamedFrom: nameOf('public.gone'),
      columns: t.columns.map((c) => ({ ...c, renamedFrom: 'gone' })),
    }))
    expect(diff(rich, hinted)).toEqual({ changes: [], questions: [] })
  })

  it('diffs from and to an empty schema symmetrically: every create has its drop', () => {
    const up = diff(schemaOf(), rich).changes
    const down = diff(rich, schemaOf()).changes
    const flip: Partial<Record<ChangeKind, ChangeKind>> = {
      createNamespace: 'dropNamespace',
      createExtension: 'dropExtension',
      createEnum: 'dropEnum',
      createSequence: 'dropSequence',
      createTable: 'dropTable',
      createView: 'dropView',
      createDomain: 'dropDomain',
      createRoutine: 'dropRoutine',
      createTrigger: 'dropTrigger',
    }
    expect(up.map((c) => flip[c.kind]).sort()).toEqual(down.map((c) => c.kind).sort())
    expect(up).toHaveLength(11)
  })

  it.each(cases.filter((c) => c.oneWay === undefined))('diff(B, A) is the inverse of diff(A, B): $name', ({ to }) => {
    const sorted = (changes: readonly Change[]): string[] => changes.map((c) => JSON.stringify(c)).sort()
    expect(sorted(diff(to, rich).changes)).toEqual(sorted(diff(rich, to).changes.map(invertChange)))
    expect(diff(to, to)).toEqual({ changes: [], questions: [] })
  })

  it('produces every change kind across the cases', () => {
    // Table-structure kinds (partitions, inheritance, exclusions, rules) are covered in diff-partitions.test.ts,
    // privileges, row-level security and collations in diff-security.test.ts.
    const all: Record<Exclude<ChangeKind, TableStructureChange['kind'] | SecurityChange['kind']>, true> = {
      createNamespace: true,
      dropNamespace: true,
      createExtension: true,
      dropExtension: true,
      alterExtension: true,
      createEnum: true,
      dropEnum: true,
      alterEnum: true,
      createSequence: true,
      dropSequence: true,
      alterSequence: true,
      createTable: true,
      dropTable: true,
      renameTable: true,
      alterTable: true,
      addColumn: true,
      dropColumn: true,
      alterColumn: true,
      renameColumn: true,
      renameIndex: true,
      renameConstraint: true,
      addPrimaryKey: true,
      dropPrimaryKey: true,
      addUnique: true,
      dropUnique: true,
      createIndex: true,
      dropIndex: true,
      addForeignKey: true,
      dropForeignKey: true,
      addCheck: true,
      dropCheck: true,
      createView: true,
      dropView: true,
      setComment: true,
      createDomain: true,
      dropDomain: true,
      alterDomain: true,
      createRoutine: true,
      dropRoutine: true,
      alterRoutine: true,
      createTrigger: true,
      dropTrigger: true,
      alterTrigger: true,
    }
    const produced = new Set<string>()
    for (const { to } of cases) for (const change of diff(rich, to).changes) produced.add(change.kind)
    expect([...produced].sort()).toEqual(Object.keys(all).sort())
  })
})
