/**
 * Atlas's statement-splitter goldens (vendored in test/fixtures/atlas, see its SOURCES.md): each `N.sql` has an
 * `N.sql.golden` listing its statements, separated by `-- end --`. Keel splits migrations with the real PostgreSQL
 * parser; on the PostgreSQL inputs (dollar quoting, BEGIN ATOMIC bodies, nested parentheses, escaped strings) it
 * must find the same statements. The other inputs are MySQL or SQL Server scripts (DELIMITER, `#` comments, GO).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSql } from '../../src/dialect/postgres/parse-sql.js'

const TESTDATA = join(import.meta.dirname, '../fixtures/atlas/sql-migrate-testdata')
const POSTGRES_CASES = ['lex/16_begin_atomic.sql', 'lex/17_paren.sql', 'lex/18_pg_expr.sql', 'lexescaped/2.pg.sql']

/** A statement without its terminating semicolon and surrounding blank space: the goldens keep the semicolon. */
const bare = (statement: string): string => statement.trim().replace(/;$/, '').trimEnd()

describe('statement splitting agrees with Atlas goldens', () => {
  it.each(POSTGRES_CASES)('%s', async (file) => {
    const sql = readFileSync(join(TESTDATA, file), 'utf8')
    const golden = readFileSync(join(TESTDATA, `${file}.golden`), 'utf8')
      .split(/\n?-- end --\n?/)
      .map(bare)
      .filter((statement) => statement !== '')
    const statements = await parseSql(sql, file)
    expect(statements.length).toBeGreaterThan(2)
    expect(statements.map((s) => bare(s.sql))).toEqual(golden)
    // Each statement starts on the line the file has it on.
    for (const statement of statements) {
      expect(sql.split('\n')[statement.line - 1]).toContain(statement.sql.trimStart().split('\n')[0])
    }
  })
})
