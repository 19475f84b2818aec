/**
 * Lint keys a table by its bare name in the dialect's default namespace (DialectRuntime.defaultNamespace, read by
 * sql/ast.ts relationKey through ctx.traits): PostgreSQL's `public`, SQLite's `main`; no name is stripped on a
 * dialect whose default it is not. Seen through ban-drop-table, which leaves alone a table this migration created.
 */
import { describe, expect, it } from 'vitest'
import { findingsOf } from '../../test/support/lint.js'

const drops = async (sql: string, dialect?: 'sqlite') =>
  (await findingsOf(sql, 'ban-drop-table', dialect === undefined ? {} : { dialect })).map((f) => f.message)

describe("lint's default namespace", () => {
  it('is public on PostgreSQL: public.t is t, main.t is another table', async () => {
    expect(await drops('create table public.t (x int);\ndrop table t;')).toEqual([])
    expect(await drops('create table main.t (x int);\ndrop table t;')).toEqual([
      'drops table t with all its rows; the release still running fails on it',
    ])
  })

  it('is main on SQLite: main.t is t, public.t is another table', async () => {
    expect(await drops('create table main.t (x integer);\ndrop table t;', 'sqlite')).toEqual([])
    expect(await drops('create table t (x integer);\ndrop table main.t;', 'sqlite')).toEqual([])
    expect(await drops('create table public.t (x integer);\ndrop table t;', 'sqlite')).toEqual([
      'drops table t with all its rows; the release still running fails on it',
    ])
  })
})
