import { describe, expect, test } from 'vitest'
import { quoteIdent as mysqlQuoteIdent, quoteLiteral as mysqlQuoteLiteral } from '../../dialect/mysql/quote.js'
import { quoteIdent as renderIdent } from '../../dialect/postgres/quote.js'
import { brandOf } from './brand-of.js'
import { toSnakeCase } from './casing.js'
import { collect, enumType, integer, json, sql, table, text, varchar, view } from './index.js'
import { arrayLiteral, renderLiteral } from './render-literal.js'

describe('renderLiteral', () => {
  test.each([
    ["it's", "'it''s'"],
    ['', "''"],
    ['back\\slash', "'back\\slash'"],
    [42, '42'],
    [-3.5, '-3.5'],
    [1e21, '1e+21'],
    [Number.NaN, "'NaN'"],
    [Number.POSITIVE_INFINITY, "'Infinity'"],
    [Number.NEGATIVE_INFINITY, "'-Infinity'"],
    [12345678901234567890n, '12345678901234567890'],
    [true, 'true'],
    [false, 'false'],
    [null, 'NULL'],
    [new Date('2024-05-06T07:08:09.010Z'), "'2024-05-06T07:08:09.010Z'"],
    [[1, 2], "'{1,2}'"],
    [['a', null, 'NULL', '', 'x,y', 'q"t', 'b\\s', ' '], `'{a,NULL,"NULL","","x,y","q\\"t","b\\\\s"," "}'`],
    [[[1], [2]], "'{{1},{2}}'"],
    [["o'k"], `'{o''k}'`],
    [{ a: "o'k" }, `'{"a":"o''k"}'`],
  ] as const)('%s', (value, expected) => {
    expect(renderLiteral(value)).toBe(expected)
  })

  test('json and jsonb columns serialise every value as JSON', () => {
    expect(renderLiteral('x', { kind: 'jsonb' })).toBe(`'"x"'`)
    expect(renderLiteral([1, 'a'], { kind: 'json' })).toBe(`'[1,"a"]'`)
    expect(renderLiteral(null, { kind: 'json' })).toBe('NULL')
  })

  test('functions and symbols are not literals', () => {
    expect(() => renderLiteral(() => 1)).toThrow(/cannot render a function/)
  })

  test('array literal text', () => {
    expect(arrayLiteral([])).toBe('{}')
  })
})

describe('renderIdent', () => {
  test.each([
    ['email', 'email'],
    ['created_at', 'created_at'],
    ['a$b', 'a$b'],
    ['createdAt', '"createdAt"'],
    ['order', '"order"'],
    ['user', '"user"'],
    ['name', 'name'],
    ['1st', '"1st"'],
    ['say "hi"', '"say ""hi"""'],
    ['é', '"é"'],
  ])('%s', (name, expected) => {
    expect(renderIdent(name)).toBe(expected)
  })
})

describe('sql templates', () => {
  test('columns, tables, views, enums, nested fragments and values', () => {
    const mood = enumType('mood', ['ok'], { schema: 'app' })
    const a = table('Accounts', { userName: text(), order: integer() }, { schema: 'app', casing: 'snake_case' })
    const v = view(
      'v',
      sql`select ${a.userName}, ${a.order} from ${a} where ${a.userName} <> ${"o'k"} and ${sql`${1} = ${1}`}`,
    )
    const w = view('w', sql`select * from ${v}, ${sql.raw('generate_series(1, 2)')} where 'ok'::${mood} is not null`)
    // Told no target, collect() double-quotes every name (the SQL standard's form): it knows no dialect.
    const model = collect({ mood, a, v, w })
    expect(model.views.map((view) => view.definition)).toEqual([
      `select "Accounts"."user_name", "Accounts"."order" from "app"."Accounts" where "Accounts"."user_name" <> 'o''k' and 1 = 1`,
      `select * from "v", generate_series(1, 2) where 'ok'::"app"."mood" is not null`,
    ])
    expect(model.views[1]?.dependsOn).toEqual([{ name: 'v' }])
    // PostgreSQL's quoter, as `keel` passes it for a module that PostgreSQL normalises: only where it needs quotes.
    expect(collect({ mood, a, v, w }, { quoteIdent: renderIdent }).views.map((view) => view.definition)).toEqual([
      `select "Accounts".user_name, "Accounts"."order" from app."Accounts" where "Accounts".user_name <> 'o''k' and 1 = 1`,
      "select * from v, generate_series(1, 2) where 'ok'::app.mood is not null",
    ])
  })

  test('quote names with the target\'s quoter when collect() is given one (MySQL: `x`, where "x" is a string)', () => {
    const a = table('Accounts', { userName: text(), order: integer() }, { casing: 'snake_case' })
    const v = view('v', sql`select ${a.order} from ${a} where ${a.userName} <> ''`)
    const model = collect({ a, v }, { quoteIdent: mysqlQuoteIdent })
    expect(model.views.map((view) => view.definition)).toEqual([
      "select `Accounts`.`order` from `Accounts` where `Accounts`.`user_name` <> ''",
    ])
  })
})

describe('string literals', () => {
  // A Windows path: on MySQL '\t' and '\n' inside a string are a tab and a newline unless the backslash is doubled.
  const path = 'C:\\temp\\new'

  test('are quoted the standard way when collect() is told no target (PostgreSQL and SQLite read them as written)', () => {
    const t = table('t', { p: varchar(50).default(path) })
    const v = view('v', sql`select ${t.p} from ${t} where ${t.p} <> ${path}`)
    const model = collect({ t, v })
    expect(model.tables[0]?.columns[0]?.default).toEqual({ kind: 'sql', sql: "'C:\\temp\\new'" })
    expect(model.views[0]?.definition).toBe(`select "t"."p" from "t" where "t"."p" <> 'C:\\temp\\new'`)
  })

  test("are quoted with the target's quoter when collect() is given one (MySQL doubles backslashes)", () => {
    const t = table('t', { p: varchar(50).default(path), j: json().default({ dir: path }) })
    const v = view('v', sql`select ${t.p} from ${t} where ${t.p} <> ${path}`)
    const model = collect({ t, v }, { quoteIdent: mysqlQuoteIdent, quoteLiteral: mysqlQuoteLiteral })
    expect(model.tables[0]?.columns.map((c) => c.default)).toEqual([
      { kind: 'sql', sql: "'C:\\\\temp\\\\new'" },
      // JSON.stringify escapes the backslash once for JSON; MySQL's quoter escapes both for the string literal.
      { kind: 'sql', sql: `'{"dir":"C:\\\\\\\\temp\\\\\\\\new"}'` },
    ])
    expect(model.views[0]?.definition).toBe("select `t`.`p` from `t` where `t`.`p` <> 'C:\\\\temp\\\\new'")
  })
})

describe('toSnakeCase', () => {
  test.each([
    ['createdAt', 'created_at'],
    ['userID', 'user_id'],
    ['HTMLParser', 'html_parser'],
    ['htmlURL', 'html_url'],
    ['address2Line', 'address2_line'],
    ['already_snake', 'already_snake'],
    ['_private', '_private'],
    ['id', 'id'],
    ['ID', 'id'],
  ])('%s → %s', (key, expected) => {
    expect(toSnakeCase(key)).toBe(expected)
  })
})

describe('brands', () => {
  test('DSL objects are recognised by their brand, not their class (another copy of the module)', () => {
    expect(brandOf(sql`x`)).toBe('sql')
    expect(brandOf(integer())).toBe('column')
    expect(brandOf({ '~keel': 'sql' })).toBe('sql')
    expect(brandOf(table('t', {}))).toBe('table')
    expect(brandOf(enumType('e', ['a']))).toBe('enum')
    expect(brandOf({})).toBeUndefined()
    expect(brandOf(null)).toBeUndefined()
    expect(Object.keys(table('t', { a: integer() }))).toEqual(['a'])
  })
})
