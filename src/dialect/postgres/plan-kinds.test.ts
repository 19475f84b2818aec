import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { invertChange } from '../../plan/invert.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
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
  viewOf,
} from '../../schema/build.js'
import { planPostgres } from './plan.js'

const table = { schema: 'public', name: 'users' }
const users = tableOf(table, [col('id', 'int8', { nullable: false })], { primaryKey: pk('users_pkey', ['id']) })

/** One change of every kind: a new kind in src/diff/change.ts fails to compile in the planner first, then here. */
const changes: readonly Change[] = [
  { kind: 'createNamespace', namespace: namespaceOf('app', { comment: 'app' }) },
  { kind: 'dropNamespace', namespace: namespaceOf('app') },
  { kind: 'createExtension', extension: extensionOf('citext') },
  { kind: 'dropExtension', extension: extensionOf('citext') },
  {
    kind: 'alterExtension',
    from: extensionOf('citext', { version: '1.5' }),
    to: extensionOf('citext', { version: '1.6', schema: 'app' }),
  },
  { kind: 'createEnum', enum: enumOf('public.mood', ['a']) },
  { kind: 'dropEnum', enum: enumOf('public.mood', ['a']) },
  { kind: 'alterEnum', from: enumOf('public.mood', ['a']), to: enumOf('public.mood', ['a', 'b']), usages: [] },
  { kind: 'createSequence', sequence: sequenceOf('public.s', { increment: 2 }) },
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
  { kind: 'addPrimaryKey', table, primaryKey: pk('users_pkey', ['id']) },
  { kind: 'dropPrimaryKey', table, primaryKey: pk('users_pkey', ['id']) },
  { kind: 'addUnique', table, unique: { name: 'users_email_key', columns: ['email'] } },
  { kind: 'dropUnique', table, unique: { name: 'users_email_key', columns: ['email'] } },
  { kind: 'createIndex', table, index: index('users_email_idx', ['email']) },
  { kind: 'dropIndex', table, index: index('users_email_idx', ['email']) },
  { kind: 'addForeignKey', table, foreignKey: fk('users_org_fkey', ['org'], 'public.orgs', ['id']) },
  { kind: 'dropForeignKey', table, foreignKey: fk('users_org_fkey', ['org'], 'public.orgs', ['id']) },
  { kind: 'addCheck', table, check: check('users_id_check', '(id > 0)') },
  { kind: 'dropCheck', table, check: check('users_id_check', '(id > 0)') },
  { kind: 'createView', view: viewOf('public.v', 'SELECT 1') },
  { kind: 'dropView', view: viewOf('public.v', 'SELECT 1', [], { materialized: true }) },
  { kind: 'setComment', target: { kind: 'table', name: table }, from: undefined, to: 'people' },
]

describe('every change kind', () => {
  it('is covered by this list', () => {
    const kinds = new Set(changes.map((c) => c.kind))
    expect(kinds.size).toBe(32)
  })

  describe.each([
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const)('under the %s policy', (_name, policy) => {
    it.each(changes.map((c) => [c.kind, c] as const))('%s plans to complete steps', (_kind, change) => {
      const { steps } = planPostgres([change], policy)
      expect(steps.length).toBeGreaterThan(0)
      for (const step of steps) {
        expect(step.sql.trim()).not.toBe('')
        expect(step.sql).not.toMatch(/;\s*$/)
        expect(step.reverse).toSatisfy((r: object) => 'sql' in r || 'irreversible' in r)
        expect(step.comment).not.toBe('')
        expect(['expand', 'contract']).toContain(step.phase)
      }
    })

    it.each(changes.map((c) => [c.kind, c] as const))(
      '%s: a one-step plan reverses to the plan of the inverse change',
      (_kind, change) => {
        const { steps } = planPostgres([change], policy)
        if (steps.length !== 1 || !steps[0] || !('sql' in steps[0].reverse)) return
        const inverse = planPostgres([invertChange(change)], policy).steps.map((s) => s.sql)
        expect(steps[0].reverse.sql).toBe(inverse.join(';\n'))
      },
    )
  })
})

describe('a view dropped and created again in one plan', () => {
  it('is locked by its drop as the existing view it is, not as one new in this plan', () => {
    const view = viewOf('public.v', 'SELECT 1')
    const steps = planPostgres(
      [
        { kind: 'dropView', view },
        { kind: 'createView', view },
      ],
      directPolicy,
    ).steps
    expect(steps.map((s) => [s.comment, s.lock.blocks, s.lock.on])).toEqual([
      ['Drop view public.v', 'readsAndWrites', [{ schema: 'public', name: 'v' }]],
      ['Create view public.v', 'nothing', []],
    ])
  })
})

describe('a table or sequence dropped and created again in one plan', () => {
  it('is locked by its drop as the existing relation it is, not as one new in this plan', () => {
    const t = tableOf('public.t', [col('id', 'int4')])
    const s = sequenceOf('public.s')
    const steps = planPostgres(
      [
        { kind: 'dropTable', table: t },
        { kind: 'createTable', table: t },
        { kind: 'dropSequence', sequence: s },
        { kind: 'createSequence', sequence: s },
      ],
      directPolicy,
    ).steps
    const drops = steps.filter((step) => step.comment.startsWith('Drop'))
    expect(drops.map((step) => [step.comment, step.lock.blocks, step.lock.on])).toEqual([
      ['Drop table public.t and its data', 'readsAndWrites', [{ schema: 'public', name: 't' }]],
      ['Drop sequence public.s', 'readsAndWrites', [{ schema: 'public', name: 's' }]],
    ])
  })
})
