import { describe, expect, it } from 'vitest'
import { withQueryParser } from '../../test/support/query-parser.js'
import { refsOfSql } from './step-ties-names.js'

/** Whether `sql` may name `name` of `schema` (undefined: of any). */
const names = (sql: string, schema: string | undefined, name: string) => refsOfSql(sql).mentions({ schema, name })

describe('column qualifiers without a parser', () => {
  withQueryParser(false)

  it('reads a qualifier as a name alone, which may be any schema’s relation', () => {
    expect(names('SELECT posts.m FROM other.posts', 'public', 'posts')).toBe(true)
  })
})

// A view over other.posts prints `SELECT posts.m FROM other.posts`: the bare posts is the range entry's name, no
// relation of its own. Taken as a name alone, it was public.posts too, and the view tied to what changes that table.
describe('column qualifiers and table aliases, read by the parser', () => {
  withQueryParser(true)

  it("takes a column's qualifier for its range entry, not for a relation of any schema", () => {
    const sql = 'SELECT posts.m, t.e FROM other.posts JOIN other.t ON t.id = posts.id'
    expect(names(sql, 'public', 'posts')).toBe(false)
    expect(names(sql, 'public', 't')).toBe(false)
    expect(names(sql, 'other', 'posts')).toBe(true)
    // The columns are still read, by their names alone.
    expect(names(sql, undefined, 'm')).toBe(true)
    expect(names(sql, undefined, 'e')).toBe(true)
    expect(names('SELECT "Posts".* FROM other."Posts"', 'public', 'posts')).toBe(false)
  })

  it('takes a table alias where it is declared for no relation', () => {
    expect(names('SELECT p.m FROM other.posts p', 'public', 'p')).toBe(false)
    expect(names('SELECT p.m FROM other.posts AS p', 'public', 'p')).toBe(false)
    expect(names('CREATE VIEW other.v AS SELECT p.m FROM other.posts p', 'public', 'p')).toBe(false)
  })

  it('keeps a relation the text reads by that name, with or without its schema', () => {
    // posts alone in FROM may be public.posts by the search path: its qualifiers do not make it less.
    expect(names('SELECT posts.m FROM posts', 'public', 'posts')).toBe(true)
    expect(names('SELECT posts.m FROM other.posts JOIN posts p ON p.id = posts.id', 'public', 'posts')).toBe(true)
    expect(names('SELECT posts.m FROM public.posts', 'public', 'posts')).toBe(true)
    // An alias that is also a relation read elsewhere in the text.
    expect(names('SELECT t.m FROM other.posts t WHERE EXISTS (SELECT 1 FROM t)', 'public', 't')).toBe(true)
  })

  it('reads each arm of a UNION as a query of its own', () => {
    const sql = ' SELECT posts.m\n   FROM other.posts\nUNION ALL\n SELECT t.e\n   FROM other.t;'
    expect(names(sql, 'public', 'posts')).toBe(false)
    expect(names(sql, 'public', 't')).toBe(false)
    // An arm does not see the other's entries.
    expect(names('SELECT 1 FROM other.posts UNION SELECT posts.m FROM other.t', 'public', 'posts')).toBe(true)
  })

  it('resolves a qualifier in the queries around it, not in a sibling subquery', () => {
    // A policy's USING on public.posts: the first posts is the policy's table, which no FROM of the text declares.
    const using =
      'EXISTS (SELECT 1 FROM other.members m WHERE m.uid = posts.owner) AND EXISTS (SELECT 1 FROM other.posts)'
    expect(names(using, 'public', 'posts')).toBe(true)
    // A LATERAL subquery sees the entries before it; one that is not LATERAL does not.
    expect(names('SELECT s.n FROM other.posts, LATERAL (SELECT posts.m AS n) s', 'public', 'posts')).toBe(false)
    expect(names('SELECT s.n FROM other.posts, (SELECT posts.m AS n) s', 'public', 'posts')).toBe(true)
    // A join with an alias hides the names inside it from the query (not from its ON).
    const joined = 'SELECT posts.m FROM (other.posts JOIN other.t ON t.id = posts.id) j'
    expect(names(joined, 'public', 't')).toBe(false)
    expect(names(joined, 'public', 'posts')).toBe(true)
  })

  it('finds them past literals, dollar quotes and letters beyond ASCII, and in an expression', () => {
    const sql = "SELECT 'it''s', E'a\\'b', $q$x$q$, 'café', posts.m FROM other.posts WHERE posts.m <> 'é'"
    expect(names(sql, 'public', 'posts')).toBe(false)
    expect(names('SELECT posts.m AS "naïve" FROM other.posts', 'public', 'posts')).toBe(false)
    const expr = "EXISTS (SELECT 1 FROM other.posts WHERE posts.m = 'x'::mood)"
    expect(names(expr, 'public', 'posts')).toBe(false)
    expect(names(expr, 'public', 'mood')).toBe(true)
  })

  it('reads every name as before when the text does not parse', () => {
    expect(names('SELECT posts.m FROM other.posts WHERE (', 'public', 'posts')).toBe(true)
    // A trigger's NEW is no range entry the parser declares: a name alone still.
    expect(names('WHEN (NEW.m IS NOT NULL)', 'public', 'new')).toBe(true)
    // Only a text with a FROM is parsed: an UPDATE's own range entry is not looked for.
    expect(names('UPDATE other.posts SET m = posts.m', 'public', 'posts')).toBe(true)
  })
})
