/**
 * A key added back to a table an enum recreated in place converts. The recreation drops, in its transaction, what
 * reads the enum and cannot be converted (a stored generated column, a unique constraint over it) and makes it again
 * after the conversion, in the same transaction (PlanContext.convertedTables: the online forms set aside, as for
 * indexes and checks). addKeySteps did not look: the key came back in its online form (built concurrently, on each
 * leaf of a partitioned table or on the table), which cannot run in the recreation's transaction, and the runner
 * refused the plan (keepRunsWhole). Now the key is added plainly in the transaction; the result is the goal's, rows
 * kept. PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { convergesOnce } from '../../support/converges.js'
import { DIALECTS } from '../../support/databases.js'

const TABLES = {
  partitioned: (values: string) => `create type mood as enum (${values});
create table m (id int not null, region text not null, e mood,
  g boolean generated always as (e = 'a') stored, unique (id, region, g)) partition by list (region);
create table m_us partition of m for values in ('us');
create table m_eu partition of m for values in ('eu');`,
  plain: (values: string) => `create type mood as enum (${values});
create table m (id int not null, region text not null, e mood,
  g boolean generated always as (e = 'a') stored, unique (id, region, g));`,
}
const ROWS = "insert into m values (1, 'us', 'a'), (2, 'eu', 'b'), (3, 'us', null);"

describe.each(DIALECTS)('a key made again in an enum recreation, on %s', (name) => {
  it.each(Object.entries(TABLES))(
    'adds the key of a %s table in the recreation’s transaction',
    async (_kind, table) => {
      await convergesOnce(name, table("'a', 'b'"), [`${table("'a', 'b', 'c'")}${ROWS}`], {
        rows: 'select id, region, e::text, g from m order by id',
        plan: (plan) => {
          expect(plan.steps.filter((s) => s.transactional === false).map((s) => s.sql)).toEqual([])
        },
      })
    },
  )
})
