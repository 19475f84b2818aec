import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import { check, col, fk, index, tableOf } from '../../schema/build.js'
import { lockBlocks, lockFor, statementLocks } from './locks.js'
import { planPostgres } from './plan.js'

const t = { schema: 'public', name: 't' }
const o = { schema: 'public', name: 'o' }

/**
 * Rows of squawk's lock oracle (shared/corpus/squawk/lock-kinds/*.txt), statement → lock, beside the
 * change whose step emits that statement. The planner's lock facts must agree with every row.
 */
const oracle: readonly (readonly [string, Change, 'safe' | 'direct', string])[] = [
  [
    'ALTER TABLE t ADD COLUMN c int',
    { kind: 'addColumn', table: t, column: col('c', 'int4') },
    'direct',
    'ACCESS EXCLUSIVE',
  ],
  [
    'ALTER TABLE t DROP COLUMN c',
    { kind: 'dropColumn', table: t, column: col('c', 'int4') },
    'direct',
    'ACCESS EXCLUSIVE',
  ],
  [
    'ALTER TABLE t ALTER COLUMN c TYPE bigint',
    { kind: 'alterColumn', table: t, from: col('c', 'int4'), to: col('c', 'int8'), aspects: ['type'] },
    'direct',
    'ACCESS EXCLUSIVE',
  ],
  [
    'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o (id)',
    { kind: 'addForeignKey', table: t, foreignKey: fk('fk', ['a'], o, ['id']) },
    'direct',
    'SHARE ROW EXCLUSIVE',
  ],
  [
    'ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)',
    { kind: 'addCheck', table: t, check: check('ck', '(a > 0)') },
    'direct',
    'ACCESS EXCLUSIVE',
  ],
  ['CREATE INDEX idx ON t (c)', { kind: 'createIndex', table: t, index: index('idx', ['c']) }, 'direct', 'SHARE'],
  [
    'CREATE INDEX CONCURRENTLY idx ON t (c)',
    { kind: 'createIndex', table: t, index: index('idx', ['c']) },
    'safe',
    'SHARE UPDATE EXCLUSIVE',
  ],
  ['DROP INDEX idx', { kind: 'dropIndex', table: t, index: index('idx', ['c']) }, 'direct', 'ACCESS EXCLUSIVE'],
  [
    'DROP INDEX CONCURRENTLY idx',
    { kind: 'dropIndex', table: t, index: index('idx', ['c']) },
    'safe',
    'SHARE UPDATE EXCLUSIVE',
  ],
  ['DROP TABLE t', { kind: 'dropTable', table: tableOf(t, [col('c', 'int4')]) }, 'direct', 'ACCESS EXCLUSIVE'],
  [
    'COMMENT ON TABLE t IS x',
    { kind: 'setComment', target: { kind: 'table', name: t }, from: undefined, to: 'x' },
    'direct',
    'SHARE UPDATE EXCLUSIVE',
  ],
]

describe('lock facts agree with the squawk oracle', () => {
  it.each(oracle)('%s → %s', (_statement, change, policy, mode) => {
    const [step] = planPostgres([change], policy === 'safe' ? safePolicy : directPolicy).steps
    expect(step?.lock.mode).toBe(mode)
  })

  it('VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE', () => {
    const steps = planPostgres([{ kind: 'addCheck', table: t, check: check('ck', '(a > 0)') }], safePolicy).steps
    expect(steps[1]?.sql).toBe('ALTER TABLE public.t VALIDATE CONSTRAINT ck')
    expect(steps[1]?.lock).toEqual({ mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [t] })
  })
})

describe('lockBlocks', () => {
  it('says reads are blocked only by ACCESS EXCLUSIVE, writes by SHARE and stronger', () => {
    expect(Object.entries(lockBlocks).filter(([, blocks]) => blocks === 'readsAndWrites')).toEqual([
      ['ACCESS EXCLUSIVE', 'readsAndWrites'],
    ])
    expect(lockBlocks.SHARE).toBe('writes')
    expect(lockBlocks['SHARE ROW EXCLUSIVE']).toBe('writes')
    expect(lockBlocks['SHARE UPDATE EXCLUSIVE']).toBe('nothing')
  })
})

describe('lockFor', () => {
  const none = { created: new Set<string>() }

  it('gives the mode of the statement kind on the tables named', () => {
    expect(lockFor('addForeignKey', [t, o], none)).toEqual({
      mode: 'SHARE ROW EXCLUSIVE',
      blocks: 'writes',
      on: [t, o],
    })
    expect(lockFor('catalogOnly', [t], none)).toEqual({ mode: 'none', blocks: 'nothing', on: [] })
    expect(statementLocks.catalogOnly).toBeNull()
  })

  it('leaves out relations created in the same plan, which nobody uses yet', () => {
    const scope = { created: new Set(['public\u0000t']) }
    expect(lockFor('addForeignKey', [t, o], scope)).toEqual({
      mode: 'SHARE ROW EXCLUSIVE',
      blocks: 'writes',
      on: [o],
      created: [t],
    })
    expect(lockFor('createIndex', [t], scope)).toEqual({ mode: 'SHARE', blocks: 'nothing', on: [], created: [t] })
  })
})
