/**
 * The runner's SQL about a user's tables names them with PostgreSQL's own quoter (the dialect's one quoter, issue 8):
 * a batched backfill's ranges and the lock-blocker probe, on a table whose schema and name hold a double quote, an
 * upper-case letter and a keyword, where any other dialect's quoting (backticks, or none) writes another name or
 * invalid SQL.
 */
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { parseSql } from '../../../src/dialect/postgres/parse-sql.js'
import { findLockBlockers } from '../../../src/dialect/postgres/runner/lock-blockers.js'
import { walkBatches } from '../../../src/migrate/backfill/walk-batches.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'

const SCHEMA = 'Sa"les'
const TABLE = 'we"ird `order`'
const RELATION = '"Sa""les"."we""ird `order`"'

describe.each(DIALECTS)('names that need quoting, on %s', (dialect) => {
  it('a batched backfill walks the key of a table with a double quote and a backtick in its name', async () => {
    await withDatabase(dialect, async ({ conn }) => {
      await conn.exec(
        `create schema "Sa""les";
         create table ${RELATION} ("Order" int primary key, "select" int);
         insert into ${RELATION} ("Order") select g from generate_series(1, 20) g`,
      )
      const state = await walkBatches({
        conn,
        sql: `update ${RELATION} set "select" = "Order" * 2 where "select" is null`,
        table: { schema: SCHEMA, name: TABLE },
        size: 6,
        pauseMs: 0,
        from: { lastKey: null, rows: 0, batches: 0 },
      })
      expect(state).toEqual({ lastKey: ['18'], rows: 20, batches: 4 })
      expect(await conn.query(`select count(*)::int as n from ${RELATION} where "select" = "Order" * 2`)).toEqual([
        { n: 20 },
      ])
    })
  })
})

describe('the lock-blocker probe on postgres', () => {
  it('finds the session that holds a lock on a table with a double quote in its name', async () => {
    await withDatabase('postgres', async ({ conn, url }) => {
      await conn.exec(`create schema "Sa""les"; create table ${RELATION} (id int)`)
      const holder = await openDatabase(url, 'keel-test-holder')
      try {
        await holder.exec(`begin; lock table ${RELATION} in access share mode`)
        const [statement] = await parseSql(`alter table ${RELATION} add column c int`, 'up.sql')
        const blockers = await findLockBlockers(conn, statement!)
        expect(blockers.map((b) => b.applicationName)).toEqual(['keel-test-holder'])
      } finally {
        await holder.close()
      }
    })
  })
})
