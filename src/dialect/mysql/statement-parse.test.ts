import { describe, expect, it } from 'vitest'
import { parseMysqlStatement } from './statement-parse.js'

describe('parseMysqlStatement', () => {
  it('gives the grammar only the statements whose tree a rule reads', () => {
    expect(parseMysqlStatement('ALTER TABLE t ADD INDEX i (a)')).toMatchObject({
      kind: 'parsed',
      ast: { type: 'alter' },
    })
    // Seed data and other statements: no tree (no rule reads one), whatever the grammar would make of them.
    const rows = Array.from({ length: 2000 }, (_, i) => `(${i}, 'x')`).join(', ')
    expect(parseMysqlStatement(`INSERT INTO t VALUES ${rows}`)).toEqual({ kind: 'parsed' })
    expect(parseMysqlStatement('UPDATE t SET a = 1 WHERE b IN (SELECT')).toEqual({ kind: 'parsed' })
    expect(parseMysqlStatement('  UPSERT INTO t VALUES (1)')).toEqual({
      kind: 'invalid',
      message: '"upsert" starts no MySQL statement',
      offset: 2,
    })
  })

  it('locates a refusal in the statement as written, executable comment included', () => {
    const sql = '/*!50100 ALTER TABLE t ADD COLUMN (a INT) */'
    const verdict = parseMysqlStatement(sql)
    expect(verdict).toMatchObject({ kind: 'refused', message: 'unexpected "("' })
    expect(sql.slice(verdict.kind === 'refused' ? verdict.offset : 0)).toBe('(a INT) */')
  })
})
