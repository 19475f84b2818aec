import { describe, expect, it } from 'vitest'
import { check, col, fk, index, nameOf, pk, schemaOf, sequenceOf, tableOf, unique, viewOf } from '../schema/build.js'
import type { Schema, Table } from '../schema/model.js'
import type { Change, Rename } from './change.js'
import { diff } from './diff.js'

const users = tableOf(
  'public.users',
  [col('id', 'int8', { nullable: false }), col('email', 'text', { nullable: false }), col('Total', 'int4')],
  {
    primaryKey: pk('users_pkey', ['id']),
    uniques: [unique('users_email_key', ['email'])],
    indexes: [
      index('users_lower_email_idx', [{ expr: 'lower(email)' }], { where: "(email <> ''::text)" }),
      index('users_id_inc_idx', ['id'], { include: ['email'] }),
    ],
    checks: [check('users_email_check', "(email <> ''::text)"), check('users_total_check', '("Total" > 0)')],
    foreignKeys: [fk('users_email_self_fkey', ['email'], 'public.users', ['email'])],
  },
)
const orders = tableOf('public.orders', [col('id', 'int8'), col('user_id', 'int8'), col('user_email', 'text')], {
  foreignKeys: [
    fk('orders_user_id_fkey', ['user_id'], 'public.users', ['id']),
    fk('orders_user_email_fkey', ['user_email'], 'public.users', ['email']),
  ],
})
const from: Schema = schemaOf({
  tables: [users, orders],
  sequences: [sequenceOf('public.user_seq', { ownedBy: { table: nameOf('public.users'), column: 'email' } })],
  views: [
    viewOf('public.emails', 'SELECT users.email FROM users', ['public.users']),
    viewOf('public.email_count', 'SELECT count(emails.email) AS count FROM emails', ['public.emails']),
  ],
})

const U = nameOf('public.users')
const A = nameOf('public.accounts')

/** A table with `edit` applied, found by its name. */
function edit(schema: Schema, name: string, change: (table: Table) => Table): Schema {
  return { ...schema, tables: schema.tables.map((t) => (t.name.name === name ? change(t) : t)) }
}

/** `users` renamed to `accounts` in `to`: the table itself and every reference to it. */
const accounts: Schema = {
  ...edit(from, 'users', (t) => ({
    ...t,
    name: A,
    foreignKeys: t.foreignKeys.map((k) => ({ ...k, references: { ...k.references, table: A } })),
  })),
}
const accountsEverywhere: Schema = {
  ...edit(accounts, 'orders', (t) => ({
    ...t,
    foreignKeys: t.foreignKeys.map((k) => ({ ...k, references: { ...k.references, table: A } })),
  })),
  sequences: [sequenceOf('public.user_seq', { ownedBy: { table: A, column: 'email' } })],
  views: from.views.map((v) => (v.name.name === 'emails' ? { ...v, dependsOn: [A] } : v)),
}
const hinted = edit(accountsEverywhere, 'accounts', (t) => ({ ...t, renamedFrom: U }))

/** `users.email` renamed to `mail` everywhere `to` names it (the view's text as PostgreSQL prints it after). */
function renameEmail(schema: Schema, hint: boolean): Schema {
  const withUsers = edit(schema, 'users', (t) => ({
    ...t,
    columns: t.columns.map((c) =>
      c.name === 'email' ? { ...c, name: 'mail', ...(hint ? { renamedFrom: 'email' } : {}) } : c,
    ),
    uniques: [unique('users_email_key', ['mail'])],
    indexes: [
      index('users_lower_email_idx', [{ expr: 'lower(mail)' }], { where: "(mail <> ''::text)" }),
      index('users_id_inc_idx', ['id'], { include: ['mail'] }),
    ],
    checks: [check('users_email_check', "(mail <> ''::text)"), t.checks[1]!],
    foreignKeys: [fk('users_email_self_fkey', ['mail'], 'public.users', ['mail'])],
  }))
  return {
    ...edit(withUsers, 'orders', (t) => ({
      ...t,
      foreignKeys: [t.foreignKeys[0]!, fk('orders_user_email_fkey', ['user_email'], 'public.users', ['mail'])],
    })),
    sequences: [sequenceOf('public.user_seq', { ownedBy: { table: U, column: 'mail' } })],
  }
}

interface Case {
  readonly name: string
  readonly to: Schema
  readonly renames?: readonly Rename[]
  readonly expected: readonly Change[]
}

const emailsView = from.views[0]!
const countView = from.views[1]!

const cases: readonly Case[] = [
  {
    name: 'a table renamed by a hint, referenced by FKs, a view and a sequence: one change',
    to: hinted,
    expected: [{ kind: 'renameTable', from: U, to: A }],
  },
  {
    name: 'a table renamed by an answer',
    to: accountsEverywhere,
    renames: [{ kind: 'table', from: U, to: A }],
    expected: [{ kind: 'renameTable', from: U, to: A }],
  },
  {
    name: 'a hint whose new name already exists in `from` does not apply',
    to: edit(from, 'orders', (t) => ({ ...t, renamedFrom: U })),
    expected: [],
  },
  {
    name:
      'a column renamed by a hint, used by its table (index parts, INCLUDE, predicate, unique, check, self FK), ' +
      'by another table FK and a sequence; the views naming it are recreated',
    to: renameEmail(from, true),
    expected: [
      { kind: 'renameColumn', table: U, from: 'email', to: 'mail' },
      { kind: 'dropView', view: emailsView },
      { kind: 'dropView', view: countView },
      { kind: 'createView', view: countView },
      { kind: 'createView', view: emailsView },
    ],
  },
  {
    name: 'a column renamed by an answer',
    to: { ...renameEmail(from, false), views: [] },
    renames: [{ kind: 'column', table: U, from: 'email', to: 'mail' }],
    expected: [
      { kind: 'renameColumn', table: U, from: 'email', to: 'mail' },
      { kind: 'dropView', view: countView },
      { kind: 'dropView', view: emailsView },
    ],
  },
  {
    name: 'a quoted column renamed: the check is rewritten in the quoting PostgreSQL prints',
    to: edit(from, 'users', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'Total' ? { ...c, name: 'Sum', renamedFrom: 'Total' } : c)),
      checks: [t.checks[0]!, check('users_total_check', '("Sum" > 0)')],
    })),
    expected: [{ kind: 'renameColumn', table: U, from: 'Total', to: 'Sum' }],
  },
  {
    name: 'a renamed column that also changes: the rename, then the change on the new name',
    to: edit(from, 'orders', (t) => ({
      ...t,
      columns: t.columns.map((c) =>
        c.name === 'id' ? { ...c, name: 'order_id', renamedFrom: 'id', nullable: false } : c,
      ),
    })),
    expected: [
      { kind: 'renameColumn', table: nameOf('public.orders'), from: 'id', to: 'order_id' },
      {
        kind: 'alterColumn',
        table: nameOf('public.orders'),
        from: col('order_id', 'int8'),
        to: col('order_id', 'int8', { nullable: false, renamedFrom: 'id' }),
        aspects: ['nullable'],
      },
    ],
  },
  {
    name: 'a table and one of its columns renamed together',
    to: edit(hinted, 'accounts', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'Total' ? { ...c, name: 'total', renamedFrom: 'Total' } : c)),
      checks: [t.checks[0]!, check('users_total_check', '(total > 0)')],
    })),
    expected: [
      { kind: 'renameTable', from: U, to: A },
      { kind: 'renameColumn', table: A, from: 'Total', to: 'total' },
    ],
  },
]

describe('renames', () => {
  it.each(cases)('$name', ({ to, renames, expected }) => {
    const result = diff(from, to, renames)
    expect(result.questions).toEqual([])
    expect([...result.changes].sort(byJson)).toEqual([...expected].sort(byJson))
  })

  it('a pure rename diffs to nothing once applied (the renamed `from` equals `to`)', () => {
    expect(diff(hinted, hinted)).toEqual({ changes: [], questions: [] })
  })

  it('two hints for one old name: the first by new name wins, the other table is created', () => {
    const b = tableOf('public.b', [col('x', 'int4')], { renamedFrom: nameOf('public.a') })
    const c = tableOf('public.c', [col('x', 'int4')], { renamedFrom: nameOf('public.a') })
    const result = diff(schemaOf({ tables: [tableOf('public.a', [col('x', 'int4')])] }), schemaOf({ tables: [c, b] }))
    expect(result.changes).toEqual([
      { kind: 'renameTable', from: nameOf('public.a'), to: nameOf('public.b') },
      { kind: 'createTable', table: c },
    ])
  })

  it('an answer takes precedence over a hint', () => {
    const a = tableOf('public.a', [col('x', 'int4')])
    const b = tableOf('public.b', [col('x', 'int4')], { renamedFrom: nameOf('public.a') })
    const c = tableOf('public.c', [col('x', 'int4')])
    const result = diff(schemaOf({ tables: [a] }), schemaOf({ tables: [b, c] }), [
      { kind: 'table', from: nameOf('public.a'), to: nameOf('public.c') },
    ])
    expect(result.changes).toEqual([
      { kind: 'renameTable', from: nameOf('public.a'), to: nameOf('public.c') },
      { kind: 'createTable', table: b },
    ])
  })
})

describe('view renames', () => {
  const base = schemaOf({
    tables: [tableOf('public.t', [col('a', 'int4')])],
    views: [
      viewOf('public.v', 'SELECT t.a FROM t', ['public.t']),
      viewOf('public.w', 'SELECT v.a FROM v', ['public.v']),
    ],
  })

  it('a view renamed by a hint is a renameTable; the views over it follow it', () => {
    const to: Schema = {
      ...base,
      views: [
        viewOf('public.v2', 'SELECT t.a FROM t', ['public.t'], { renamedFrom: nameOf('public.v') }),
        viewOf('public.w', 'SELECT v.a FROM v', ['public.v2']),
      ],
    }
    expect(diff(base, to).changes).toEqual([{ kind: 'renameTable', from: nameOf('public.v'), to: nameOf('public.v2') }])
  })

  it('a renamed view whose definition changes is dropped under its old name and created, not renamed', () => {
    const v2 = viewOf('public.v2', 'SELECT t.a, 1 AS one FROM t', ['public.t'], { renamedFrom: nameOf('public.v') })
    const w = viewOf('public.w', 'SELECT v2.a FROM v2', ['public.v2'])
    const changes = diff(base, { ...base, views: [v2, w] }).changes
    expect([...changes].sort(byJson)).toEqual(
      [
        { kind: 'dropView', view: base.views[0]! },
        { kind: 'createView', view: v2 },
        { kind: 'dropView', view: base.views[1]! },
        { kind: 'createView', view: w },
      ].sort(byJson),
    )
  })
})

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a)
  const y = JSON.stringify(b)
  return x < y ? -1 : x > y ? 1 : 0
}
