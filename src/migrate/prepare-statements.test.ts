import { describe, expect, it } from 'vitest'
import { planPostgres } from '../dialect/postgres/plan.js'
import type { Change } from '../diff/change.js'
import { safePolicy } from '../plan/policy.js'
import { check, col, fk, index, nameOf } from '../schema/build.js'
import { groupStatements, prepareStatements, unitStatements } from './prepare-statements.js'

const shape = async (sql: string, noTransaction: boolean, enumValuesInTransaction?: boolean) => {
  const statements = await prepareStatements('up.sql', sql, 'postgres')
  const options = enumValuesInTransaction === undefined ? {} : { enumValuesInTransaction }
  return groupStatements(statements, noTransaction, options).map(
    (unit) =>
      `${unit.kind}: ${unitStatements(unit)
        .map((s) => s.sql.split(' ')[0])
        .join(', ')}`,
  )
}

describe('groupStatements', () => {
  it('groups consecutive ordinary statements; what PostgreSQL refuses in a transaction runs alone', async () => {
    expect(
      await shape(
        'create table a (id int); insert into a values (1); create index concurrently on a (id); select 1',
        false,
      ),
    ).toEqual(['transaction: create, insert', 'alone: create', 'transaction: select'])
  })

  it('under no-transaction gives every ordinary statement a transaction of its own, never none', async () => {
    // Each statement's transaction also carries its journal progress: a killed runner's session that
    // finishes the insert cannot commit it without its record.
    expect(
      await shape('insert into c select 1 from pg_sleep(2); update c set n = 2; vacuum c; reindex schema s', true),
    ).toEqual(['transaction: insert', 'transaction: update', 'alone: vacuum', 'alone: reindex'])
  })

  it('gives ALTER TYPE ... ADD VALUE a transaction of its own (alone before PostgreSQL 12)', async () => {
    const sql = "create type e as enum ('a'); alter type e add value 'b'; create table t (x e default 'b')"
    expect(await shape(sql, false)).toEqual(['transaction: create', 'transaction: alter', 'transaction: create'])
    expect(await shape(sql, false, false)).toEqual(['transaction: create', 'alone: alter', 'transaction: create'])
    expect(await shape("alter type e rename value 'a' to 'z'; select 1", false)).toEqual(['transaction: alter, select'])
  })

  it('commits before and after VALIDATE CONSTRAINT, so the lock of the NOT VALID step is not held through the scan', async () => {
    const sql = [
      'alter table t add constraint c check (n > 0) not valid',
      'alter table t validate constraint c',
      'alter table t alter column n set not null',
      'alter table t drop constraint c',
    ].join(';\n')
    expect(await shape(sql, false)).toEqual(['transaction: alter', 'transaction: alter', 'transaction: alter, alter'])
  })

  it('gives every step the planner marks non-transactional a commit before and after it', async () => {
    const t = nameOf('t')
    const changes: readonly Change[] = [
      { kind: 'addCheck', table: t, check: check('t_n_check', 'n > 0') },
      { kind: 'addForeignKey', table: t, foreignKey: fk('t_p_fkey', ['p'], 'p', ['id']) },
      { kind: 'createIndex', table: t, index: index('t_n_idx', ['n']) },
      {
        kind: 'alterColumn',
        table: t,
        from: col('n', 'int4'),
        to: col('n', 'int4', { nullable: false }),
        aspects: ['nullable'],
      },
    ]
    const { steps } = planPostgres(changes, safePolicy)
    const statements = await prepareStatements('up.sql', steps.map((s) => `${s.sql};`).join('\n'), 'postgres')
    const units = groupStatements(statements, false)
    const own = steps.flatMap((step, i) => (step.transactional ? [] : [i]))
    expect(own.length).toBeGreaterThanOrEqual(4)
    for (const i of own) {
      const unit = units.find((u) => unitStatements(u).some((s) => s.index === i))
      expect(unit && unitStatements(unit).length).toBe(1)
    }
  })
})
