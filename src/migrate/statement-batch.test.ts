import { describe, expect, it } from 'vitest'
import { type PreparedStatement, StatementFailure } from './prepare-statements.js'
import {
  batchStatements,
  codePointLength,
  failureAt,
  inBatches,
  joinBatches,
  stringIndexOf,
} from './statement-batch.js'

/** A statement as prepareStatements makes it; only the fields the batch reads matter here. */
function statement(sql: string, line: number): PreparedStatement {
  return {
    index: 0,
    sql,
    line,
    offset: 0,
    kind: 'SelectStmt',
    node: { SelectStmt: {} },
    nonTransactional: undefined,
    file: 'up.sql',
    hash: '',
  }
}

/** A server error at the 1-based character (code point) position of `needle` in `text`, as PostgreSQL reports it. */
function errorAt(text: string, needle: string): { message: string; code: string; position: string } {
  const index = text.indexOf(needle)
  return { message: 'boom', code: '42P01', position: String(codePointLength(text.slice(0, index)) + 1) }
}

describe('statement batches', () => {
  const statements = [
    statement("select '😀' as smile -- a trailing comment", 2),
    statement('create table a (id int)', 4),
    statement('select *\n  from missing_table', 5),
  ]
  const prefix = 'RESET ALL;\nBEGIN;\n'
  const batch = batchStatements(prefix, statements)

  it('join statements so that a trailing comment cannot swallow the semicolon', () => {
    expect(batch.text).toBe(
      "RESET ALL;\nBEGIN;\nselect '😀' as smile -- a trailing comment\n;\ncreate table a (id int)\n;\nselect *\n  from missing_table",
    )
  })

  it('map a server position back to the statement, its position and its line', () => {
    const failure = failureAt(batch, errorAt(batch.text, 'missing_table'))
    expect(failure?.statement).toBe(statements[2])
    expect(failure?.place.position).toBe((statements[2] as PreparedStatement).sql.indexOf('missing_table') + 1)
    expect(failure?.located().message).toBe('up.sql:6: boom (SQLSTATE 42P01)')
    expect(failureAt(batch, errorAt(batch.text, 'a (id'))?.statement).toBe(statements[1])
  })

  it('count astral characters as PostgreSQL does, once', () => {
    const failure = failureAt(batch, errorAt(batch.text, 'as smile'))
    expect(failure?.statement).toBe(statements[0])
    // JS indexes the emoji as two code units; the mapped position is a JS index again.
    expect(failure?.place.position).toBe((statements[0] as PreparedStatement).sql.indexOf('as smile') + 1)
  })

  it('count bytes where the database is SQL_ASCII, as PostgreSQL does there', () => {
    const index = batch.text.indexOf('missing_table')
    const bytes = Buffer.byteLength(batch.text.slice(0, index))
    const error = { message: 'boom', code: '42P01', position: String(bytes + 1) }
    const failure = failureAt(batch, error, 'SQL_ASCII')
    expect(failure?.statement).toBe(statements[2])
    expect(failure?.place.position).toBe((statements[2] as PreparedStatement).sql.indexOf('missing_table') + 1)
    // The same number read as code points points 3 characters further (the emoji's 4 bytes are 1 code point).
    expect(failureAt(batch, error, 'UTF8')?.place.position).toBe(
      (statements[2] as PreparedStatement).sql.indexOf('missing_table') + 4,
    )
  })

  it('leave errors without a position, or pointing outside every statement, unlocated', () => {
    expect(failureAt(batch, { message: 'duplicate key', code: '23505' })).toBeUndefined()
    expect(failureAt(batch, errorAt(batch.text, 'BEGIN'))).toBeUndefined()
    expect(failureAt(batch, { message: 'x', position: String(codePointLength(batch.text) + 50) })).toBeUndefined()
  })

  it('name a failure somewhere in a group by its lines', () => {
    const error = { message: 'canceling statement due to lock timeout', code: '55P03' }
    const failure = new StatementFailure(statements[0] as PreparedStatement, error, { lastLine: 5 })
    expect(failure.where).toBe('up.sql:2-5')
    expect(failure.located().message).toBe('up.sql:2-5: canceling statement due to lock timeout (SQLSTATE 55P03)')
  })
})

describe('joined batches', () => {
  const first = [statement("select '😀' as smile", 1), statement('create table a (id int)', 2)]
  const second = [statement('select *\n  from missing_table', 1)]
  const joined = joinBatches([
    { batch: batchStatements('SET x = 1;\nBEGIN;\n', first), suffix: "\n;\ninsert into j values ('1');\nCOMMIT" },
    { batch: batchStatements('SET x = 1;\nBEGIN;\n', second), suffix: "\n;\ninsert into j values ('2');\nCOMMIT" },
  ])

  it('put each migration after the one before, with its suffix, in one text', () => {
    expect(joined.text).toBe(
      "SET x = 1;\nBEGIN;\nselect '😀' as smile\n;\ncreate table a (id int)\n;\ninsert into j values ('1');\nCOMMIT;\nSET x = 1;\nBEGIN;\nselect *\n  from missing_table\n;\ninsert into j values ('2');\nCOMMIT",
    )
    expect(joined.statements).toEqual([...first, ...second])
  })

  it('map a position in any of them back to its statement, and one in a suffix or prefix to none', () => {
    const failure = failureAt(joined, errorAt(joined.text, 'missing_table'))
    expect(failure?.statement).toBe(second[0])
    expect(failure?.place.position).toBe((second[0] as PreparedStatement).sql.indexOf('missing_table') + 1)
    expect(failureAt(joined, errorAt(joined.text, 'a (id'))?.statement).toBe(first[1])
    expect(failureAt(joined, errorAt(joined.text, "j values ('1')"))).toBeUndefined()
    expect(failureAt(joined, errorAt(joined.text, 'SET x = 1;\nBEGIN;\nselect *'))).toBeUndefined()
  })
})

describe('code points', () => {
  it('count surrogate pairs once and map back to string indexes', () => {
    expect(codePointLength('a😀b')).toBe(3)
    expect(stringIndexOf('a😀b', 2)).toBe(3)
    expect(stringIndexOf('abc', 10)).toBe(3)
    expect(codePointLength('\ud800')).toBe(1)
  })
})

describe('inBatches', () => {
  it('cuts a group into runs of about maxChars, in order, a larger statement alone', () => {
    const sqls = ['a'.repeat(4), 'b'.repeat(4), 'c'.repeat(20), 'd'.repeat(2), 'e'.repeat(2)]
    const runs = inBatches(
      sqls.map((sql, i) => statement(sql, i + 1)),
      10,
    )
    expect(runs.map((run) => run.map((s) => s.sql[0]).join(''))).toEqual(['a', 'b', 'c', 'de'])
    expect(inBatches([])).toEqual([])
  })
})
