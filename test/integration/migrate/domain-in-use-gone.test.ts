/**
 * DOMAIN_IN_USE refuses only what still holds the domain when the plan drops it to create it anew (its base type
 * changes). A user that the same plan drops before that point, or changes so that it no longer names the domain, holds
 * nothing: the plan drops the domain, makes it again, and reaches the goal in one apply. PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')
// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

// Each: the users in the current schema, then in the goal (beside d1 made bigint).
const GONE = {
  'a check that no longer casts to it': [
    'create table t (id int primary key, b int constraint b_ok check (b::d1 > 0));',
    'create table t (id int primary key, b int constraint b_ok check (b > 0));',
  ],
  // Both sides alike: its text, (((b)::d1)::integer > 0), follows the base type, so the plan drops and adds it.
  'a check whose text the base type changes': [
    'create table t (id int primary key, b int constraint b_ok check (b::d1 > 0));',
    'create table t (id int primary key, b int constraint b_ok check (b::d1 > 0));',
  ],
  'an index that no longer casts to it': [
    'create table t (id int primary key, b int); create index t_b on t ((b::d1));',
    'create table t (id int primary key, b int); create index t_b on t ((b + 0));',
  ],
  'a view that no longer casts to it': [
    'create table t (id int primary key, a int); create view v as select id, a::d1 as x from t;',
    'create table t (id int primary key, a int); create view v as select id, a::bigint as x from t;',
  ],
  'a routine dropped in the plan': ["create function f(v d1) returns int language sql as 'select v + 1';", ''],
  'a domain over it dropped in the plan': ['create domain d2 as d1;', ''],
  'a table dropped in the plan': ['create table t (id int primary key, x d1 default (1::d1));', ''],
} as const

describe.each(DIALECTS)('a domain whose base type changes on %s', (name) => {
  it.each(Object.entries(GONE))('is made again when %s', { timeout: 120_000 }, async (_, [before, after]) => {
    await withReusedDatabase(name, async ({ conn }) => {
      await withReusedDatabase(name, async ({ conn: goal }) => {
        await conn.exec(`create domain d1 as int;\n${before}`)
        await goal.exec(`create domain d1 as bigint;\n${after}`)
        const to = await dialect.introspect(goal)
        const plan = dialect.plan(diff(await dialect.introspect(conn), to, [], dialect).changes, directPolicy)
        await applyPlan(conn, plan)
        expect(diff(await dialect.introspect(conn), to, [], dialect).changes).toEqual([])
      })
    })
  })
})
