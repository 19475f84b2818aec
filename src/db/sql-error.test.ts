import { beforeAll, describe, expect, it } from 'vitest'
import { loadRuntime } from '../dialect/runtimes.js'
import { codeLabel, sqlErrorAt } from './sql-error.js'

describe('sqlErrorAt', () => {
  // sqlErrorAt asks the dialects loaded so far, as a run has loaded the one whose driver raised the error. The unit
  // tests share their workers' modules (vitest.config.ts): this file passed only after another had loaded both.
  beforeAll(async () => {
    await loadRuntime('postgres')
    await loadRuntime('sqlite')
  })

  it('labels a SQLSTATE as one and any other driver code as it is', () => {
    expect(codeLabel('42P01')).toBe('SQLSTATE 42P01')
    expect(codeLabel('SQLITE_CONSTRAINT_UNIQUE')).toBe('SQLITE_CONSTRAINT_UNIQUE')
    // Five capitals, but Node's socket code: no SQLSTATE is letters only.
    expect(codeLabel('EPIPE')).toBe('EPIPE')
  })

  it("asks the dialects whether an error is a syntax error (PostgreSQL's 42601)", () => {
    const syntax = sqlErrorAt(
      { message: 'syntax error at or near "TABLEX"', code: '42601', position: 8 },
      'CREATE\nTABLEX t ()',
      {
        file: 'a.sql',
      },
    )
    expect([syntax.code, syntax.message]).toEqual([
      'SQL_SYNTAX',
      'a.sql:2: syntax error at or near "TABLEX" (SQLSTATE 42601)',
    ])
    const sqlite = sqlErrorAt({ message: 'no such table: missing', code: 'SQLITE_ERROR' }, 'SELECT 1', {
      file: 'b.sql',
    })
    expect([sqlite.code, sqlite.message]).toEqual(['SQL_ERROR', 'b.sql: no such table: missing (SQLITE_ERROR)'])
    const sqliteSyntax = sqlErrorAt({ message: 'near "TABLEX": syntax error', code: 'SQLITE_ERROR' }, 'x', {
      file: 'c.sql',
    })
    expect(sqliteSyntax.code).toBe('SQL_SYNTAX')
  })
})
