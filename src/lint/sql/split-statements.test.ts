import { parse } from 'libpg-query'
import { describe, expect, it } from 'vitest'
import { MAX_STATEMENT_CHARS, parseSql } from '../../dialect/postgres/parse-sql.js'
import { statementEnds } from './split-statements.js'

/** The statements between the ends found, trimmed, empty ones left out. */
function split(text: string): string[] {
  const parts: string[] = []
  let start = 0
  for (const end of statementEnds(text)) {
    parts.push(text.slice(start, end).trim())
    start = end + 1
  }
  parts.push(text.slice(start).trim())
  return parts.filter((p) => p !== '')
}

describe('statementEnds', () => {
  it.each([
    ['strings and quoted identifiers', `select 'a;b', 'it''s;', "x;""y" from t; select 2`, 2],
    ['E strings with backslash escapes', `select E'a\\';b', e'\\\\'; select 2`, 2],
    ['a plain string keeps its backslash', `select 'a\\'; select 2`, 2],
    ['an identifier ending in e is no E string', `select name'x;y' from t; select 2`, 2],
    [
      'dollar quotes, tagged and not',
      'do $$ begin; end $$; create function f() returns int as $fn$ select 1; $fn$ language sql; select 3',
      3,
    ],
    ['$1 parameters and $ inside identifiers', 'prepare p as select $1; select a$b$c from t; select 3', 3],
    ['line and nested block comments', 'select 1 -- a; b\n; /* x; /* y; */ z; */ select 2', 2],
    [
      'parentheses (CREATE RULE ... DO (a; b))',
      'create rule r as on insert to t do also (insert into u values (1); insert into u values (2)); select 2',
      2,
    ],
    [
      'BEGIN ATOMIC bodies of CREATE FUNCTION and PROCEDURE, with CASE ... END inside',
      'create or replace function f(x int) returns int language sql begin atomic select case when x > 0 then 1 else 2 end; select 3; end; create procedure p() begin atomic insert into t values (1); end; select 4',
      3,
    ],
    ['BEGIN elsewhere is a transaction', 'begin; select 1; end; select 2', 4],
    ['numbers next to words', 'select 1e5, 0x1f, 1_000; select 2', 2],
  ])('%s', async (_, text, count) => {
    const parts = split(text)
    expect(parts).toHaveLength(count)
    // The real parser agrees with each piece: one statement each.
    for (const part of parts) expect((await parse(part)).stmts).toHaveLength(1)
  })

  it('an unterminated string or comment runs to the end', () => {
    expect(split("select 'a; select 2")).toEqual(["select 'a; select 2"])
    expect(split('select 1 /* ; select 2')).toEqual(['select 1 /* ; select 2'])
    expect(split('select $x$ ; select 2')).toEqual(['select $x$ ; select 2'])
  })
})

describe('parseSql a piece at a time', () => {
  const text = [
    "select 'é😀;';",
    '',
    "insert into t values ('ä'), ('b;'), ($$c$$);  -- tail;",
    'create function f() returns int language sql begin atomic select 1; end;',
    '/* ; */ create index concurrently i on t (a);;',
    'select 2',
  ].join('\n')

  it('finds what the whole file parsed at once finds, at the same lines and offsets', async () => {
    const whole = await parseSql(text, 'up.sql', Number.POSITIVE_INFINITY)
    const pieces = await parseSql(text, 'up.sql', 1)
    expect(pieces).toEqual(whole)
    expect(pieces.map((s) => [s.line, s.kind])).toEqual([
      [1, 'SelectStmt'],
      [3, 'InsertStmt'],
      [4, 'CreateFunctionStmt'],
      [5, 'IndexStmt'],
      [6, 'SelectStmt'],
    ])
    for (const s of pieces) expect(text.slice(s.offset).startsWith(s.sql)).toBe(true)
  })

  it("keeps an INSERT's first row of VALUES only", async () => {
    const [insert] = await parseSql('insert into t values (1), (2), (3)', 'up.sql')
    const node = insert?.node as { InsertStmt: { selectStmt: { SelectStmt: { valuesLists: unknown[] } } } }
    expect(node.InsertStmt.selectStmt.SelectStmt.valuesLists).toHaveLength(1)
  })

  it('a syntax error names its line in the file', async () => {
    const broken = 'select 1;\nselect 2;\nselect from from;\nselect 4;'
    await expect(parseSql(broken, 'up.sql', 1)).rejects.toThrow(/^up\.sql:3: syntax error at or near "from"/)
  })

  it('refuses one statement over the limit, naming its line', async () => {
    const huge = `select 1;\n\nselect '${'x'.repeat(MAX_STATEMENT_CHARS)}';\nselect 2;`
    await expect(parseSql(huge, 'up.sql')).rejects.toThrow(
      /^up\.sql:3: one statement of 16\.0 MB; a statement is limited to 16 MB$/,
    )
  })
})
