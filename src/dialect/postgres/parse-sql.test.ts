import { describe, expect, it } from 'vitest'
import { parseSql } from './parse-sql.js'

describe('parseSql', () => {
  it('splits statements with their 1-based start lines, skipping comments', async () => {
    const text = [
      '-- keel:no-transaction',
      'create table a (id int);  -- trailing',
      '/* block',
      '   comment */',
      'create index concurrently a_id on a (id);',
      '',
      'insert into a values (1)',
    ].join('\n')
    const statements = await parseSql(text, 'up.sql')
    expect(statements.map((s) => [s.line, s.kind, s.sql, s.nonTransactional])).toEqual([
      [2, 'CreateStmt', 'create table a (id int)', undefined],
      [5, 'IndexStmt', 'create index concurrently a_id on a (id)', 'CREATE INDEX CONCURRENTLY'],
      [7, 'InsertStmt', 'insert into a values (1)', undefined],
    ])
    expect(statements.map((s) => s.index)).toEqual([0, 1, 2])
    expect(text.slice(statements[1]!.offset).startsWith('create index')).toBe(true)
  })

  it('counts lines and offsets in characters when the text is not ASCII', async () => {
    const text = "select 'é😀';\n\nselect 'ü'"
    const statements = await parseSql(text, 'up.sql')
    expect(statements.map((s) => [s.line, s.sql])).toEqual([
      [1, "select 'é😀'"],
      [3, "select 'ü'"],
    ])
    expect(text.slice(statements[1]!.offset)).toBe("select 'ü'")
  })

  it('keeps dollar-quoted bodies whole', async () => {
    const statements = await parseSql(
      'create function f() returns int language sql as $$ select 1; $$;\nselect 2;',
      'x.sql',
    )
    expect(statements).toHaveLength(2)
    expect(statements[1]!.line).toBe(2)
  })

  it('returns nothing for an empty or comment-only file', async () => {
    expect(await parseSql('', 'up.sql')).toEqual([])
    expect(await parseSql('-- nothing here\n', 'up.sql')).toEqual([])
  })

  it.each([
    ['create index concurrently i on t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['create unique index concurrently if not exists i on s.t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['drop index concurrently i', 'DROP INDEX CONCURRENTLY'],
    ['reindex index concurrently i', 'REINDEX CONCURRENTLY'],
    ['reindex database d', 'REINDEX DATABASE/SYSTEM'],
    ['vacuum t', 'VACUUM'],
    ['vacuum analyze', 'VACUUM'],
    ['create database d', 'CREATE DATABASE'],
    ["alter system set work_mem = '1MB'", 'ALTER SYSTEM'],
    ["alter type e add value 'x'", 'ALTER TYPE ... ADD VALUE'],
    ["alter type e add value if not exists 'x' before 'y'", 'ALTER TYPE ... ADD VALUE'],
    ['alter table p detach partition c concurrently', 'DETACH PARTITION CONCURRENTLY'],
    ["create tablespace x location '/tmp'", 'CREATE TABLESPACE'],
    ['reindex schema s', 'REINDEX SCHEMA'],
    ['cluster', 'CLUSTER'],
    ['discard all', 'DISCARD ALL'],
    ['alter database d set tablespace x', 'ALTER DATABASE ... SET TABLESPACE'],
    ['alter subscription s refresh publication', 'ALTER SUBSCRIPTION ... REFRESH'],
    ['alter subscription s set publication p', 'ALTER SUBSCRIPTION ... PUBLICATION (refresh)'],
  ])('flags %s as non-transactional', async (sql, reason) => {
    const [statement] = await parseSql(sql, 'up.sql')
    expect(statement?.nonTransactional).toBe(reason)
  })

  it.each([
    'create index i on t (a)',
    'drop index i',
    'reindex index i',
    'analyze t',
    "alter type e rename value 'a' to 'b'",
    'alter table p detach partition c',
    'create table t (a int)',
    'cluster t using i',
    'discard plans',
    'alter database d set work_mem = 1',
    'alter subscription s set publication p with (refresh = false)',
  ])('leaves %s transactional', async (sql) => {
    const [statement] = await parseSql(sql, 'up.sql')
    expect(statement?.nonTransactional).toBeUndefined()
  })

  it('reports a syntax error as SQL_SYNTAX with file and line', async () => {
    const error = await parseSql("select 'é';\n\nselec 2;", 'migrations/x/up.sql').catch((e) => e)
    expect(error.code).toBe('SQL_SYNTAX')
    expect(error.message).toBe('migrations/x/up.sql:3: syntax error at or near "selec"')
  })
})
