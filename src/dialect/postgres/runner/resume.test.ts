import { describe, expect, it } from 'vitest'
import { parseSql } from '../parse-sql.js'
import { bareRule } from './resume.js'

const ruleOf = async (sql: string) => {
  const [statement] = await parseSql(sql, 'up.sql')
  if (statement === undefined) throw new Error('no statement')
  return bareRule(statement).kind
}

describe('bareRule: how a resume judges each statement PostgreSQL refuses in a transaction block', () => {
  it.each([
    ['create index concurrently i on t (a)', 'index-build'],
    ['create unique index concurrently on t (a)', 'index-build'],
    ['alter table p detach partition c concurrently', 'detach'],
    ['drop index concurrently i', 'catalog'],
    ["alter type e add value 'x'", 'catalog'],
    ['create database d', 'catalog'],
    ['drop database d', 'catalog'],
    ["create tablespace x location '/tmp/x'", 'catalog'],
    ['drop tablespace x', 'catalog'],
    ["create subscription s connection 'dbname=x' publication p", 'catalog'],
    ['drop subscription s', 'catalog'],
    ['vacuum t', 'repeatable'],
    ['reindex table concurrently t', 'repeatable'],
    ['reindex schema s', 'repeatable'],
    ['cluster', 'repeatable'],
    ["alter system set work_mem = '1MB'", 'repeatable'],
    ['discard all', 'repeatable'],
    ['alter database d set tablespace x', 'repeatable'],
    ['alter subscription s refresh publication', 'repeatable'],
  ])('%s: %s', async (sql, kind) => {
    expect(await ruleOf(sql)).toBe(kind)
  })

  it('knows every statement the parser flags as non-transactional (a new one must be judged, not guessed)', async () => {
    const flagged = [
      'create index concurrently i on t (a)',
      'drop index concurrently i',
      'reindex index concurrently i',
      'reindex database d',
      'reindex schema s',
      'vacuum',
      'cluster',
      'discard all',
      'create database d',
      'drop database d',
      "alter system set work_mem = '1MB'",
      "create tablespace x location '/x'",
      'drop tablespace x',
      "create subscription s connection 'dbname=x' publication p",
      'drop subscription s',
      'alter subscription s refresh publication',
      'alter subscription s add publication p',
      'alter database d set tablespace x',
      "alter type e add value 'x'",
      'alter table p detach partition c concurrently',
    ]
    for (const sql of flagged) {
      const [statement] = await parseSql(sql, 'up.sql')
      expect(statement?.nonTransactional, sql).toBeDefined()
      expect(bareRule(statement as NonNullable<typeof statement>).kind, sql).not.toBe('unknown')
    }
  })

  it('leaves anything else to a person when it may have run', async () => {
    expect(await ruleOf('create index i on t (a)')).toBe('unknown')
    expect(await ruleOf('select 1')).toBe('unknown')
  })
})
