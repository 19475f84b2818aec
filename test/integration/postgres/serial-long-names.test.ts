/**
 * A serial column whose table and column names together pass 63 bytes: PostgreSQL names its sequence with the
 * longer name shortened (makeObjectName). Keel's plan must drop and create the sequence of that name, so that
 * serial → plain integer runs (a DROP SEQUENCE of the untruncated name fails: no such sequence) and plain →
 * serial leaves a column that reads back as serial (a CREATE SEQUENCE of the untruncated name is truncated by
 * the server to a name that is not the column's serial sequence). Both ways, applied, then compared by
 * introspection with the schema they aimed at.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { deepEqual } from '../../../src/schema/equal.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'

const dialect = getDialect('postgres')
const TABLE = 'a_very_long_table_name_that_goes_on_and_on_for_a_while_xx'
const COLUMN = 'identifier_column_with_long_name'

describe.each(DIALECTS)('a serial column with names past 63 bytes on %s', (name) => {
  it('becomes a plain integer and a serial again, each time equal to its target', async () => {
    await withDatabase(name, async ({ conn: work }) => {
      await withDatabase(name, async ({ conn: plainDb }) => {
        await work.exec(`create table ${TABLE} (id int primary key, ${COLUMN} serial)`)
        await work.exec(`insert into ${TABLE} (id) values (1), (2)`)
        await plainDb.exec(`create table ${TABLE} (id int primary key, ${COLUMN} integer not null)`)
        const serial = await dialect.introspect(work)
        const plain = await dialect.introspect(plainDb)
        expect(serial.tables[0]?.columns[1]?.serial).toBe(true)

        await applyPlan(work, dialect.plan(diff(serial, plain).changes, directPolicy))
        expect(deepEqual(await dialect.introspect(work), plain)).toBe(true)

        await applyPlan(work, dialect.plan(diff(plain, serial).changes, directPolicy))
        expect(deepEqual(await dialect.introspect(work), serial)).toBe(true)
        // The sequence continues after the values the column holds.
        await work.exec(`insert into ${TABLE} (id) values (3)`)
        const rows = await work.query<{ v: number }>(`select ${COLUMN} as v from ${TABLE} where id = 3`)
        expect(rows.map((r) => Number(r.v))).toEqual([3])
      })
    })
  })
})
