import { describe, expect, it } from 'vitest'
import { groupStatements, prepareStatements, unitStatements } from './prepare-statements.js'

const shape = async (sql: string, noTransaction: boolean, enumValuesInTransaction?: boolean) => {
  const statements = await prepareStatements('up.sql', sql)
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
})
