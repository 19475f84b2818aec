/**
 * The undo (down.sql, reversePlan) of a plan that attaches a table as a partition. ATTACH PARTITION gives the table a
 * copy of each of its new parent's indexes and keys (the plan dropped the table's own ones first, and renamed the
 * copies to the goal's names); DETACH PARTITION, the undo, leaves those copies on the table as its own. The undo left
 * the table an index it did not have (`p_k_idx`), or one under the goal's name (`p_goal`), or failed where the plan
 * had dropped the table's own index of the copy's name (42P07 when the undo built it again). Now the undo's detach
 * drops them, and keeps an own index the attach took as a copy. After the undo: the start's indexes, names and
 * parents, no difference, pg_dump equal on PostgreSQL 15. PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')

reuseDatabasesInFile()

const TREE = `create table m (id int not null, k int not null) partition by list (id);
create index m_k on m (k);
create table m1 partition of m for values in (1);
create table p (id int not null, k int not null);
insert into p values (2, 20), (2, 21);
`
const ATTACH = 'alter table m attach partition p for values in (2);'

// Every index of the schema, with the index it is attached to, and the constraint it backs.
const indexes = (conn: Connection) =>
  conn.query(
    `select c.relname as name, x.indrelid::regclass::text as on, h.inhparent::regclass::text as parent,
        (select conname from pg_constraint where conindid = x.indexrelid) as key
      from pg_index x join pg_class c on c.oid = x.indexrelid left join pg_inherits h on h.inhrelid = x.indexrelid
      where c.relnamespace = 'public'::regnamespace order by 1`,
  )

const CASES = [
  ['a copy the table did not have', '', ATTACH],
  ['a copy the goal renames', '', `${ATTACH}\nalter index p_k_idx rename to p_goal;`],
  [
    'a copy under the name of an own index the plan drops',
    'create index p_own on p (k);',
    `create index p_own on p (k);\n${ATTACH}`,
  ],
  ['a primary key', 'alter table p add primary key (id, k);', `alter table m add primary key (id, k);\n${ATTACH}`],
  [
    'a partitioned table’s copies, its partition’s below them',
    'create table q (id int not null, k int not null) partition by list (k);\ncreate table q1 partition of q for values in (30);',
    'create table q (id int not null, k int not null) partition by list (k);\ncreate table q1 partition of q for values in (30);\nalter table m attach partition q for values in (3);',
  ],
  ['an own index the attach takes as a copy', 'create index p_x on p (k);', `${ATTACH}\ncreate index p_x on p (k);`],
] as const

describe.each(DIALECTS)('the undo of a plan that attaches a partition, on %s', (name) => {
  it.each(CASES)('%s: the start’s again after the undo', async (_what, startExtra, goalExtra) => {
    await withReusedDatabase(name, async (goal) => {
      await goal.conn.exec(`${TREE}${goalExtra}`)
      const target = await dialect.introspect(goal.conn)
      await withReusedDatabase(name, async (start) => {
        await start.conn.exec(`${TREE}${startExtra}`)
        const from = await dialect.introspect(start.conn)
        const before = await indexes(start.conn)
        const dump = name === 'postgres' ? normalizePgDump(await pgDumpSchema(start.url)) : []
        const plan = dialect.plan(diff(from, target, [], dialect).changes, safePolicy)
        const reverse = reversePlan(plan)
        if (!('sql' in reverse)) throw new Error(reverse.irreversible.join('; '))
        await applyPlan(start.conn, plan)
        await runScript(start.conn, reverse.sql)
        expect(await indexes(start.conn)).toEqual(before)
        expect(diff(await dialect.introspect(start.conn), from, [], dialect).changes).toEqual([])
        if (name === 'postgres') expect(normalizePgDump(await pgDumpSchema(start.url))).toEqual(dump)
        expect(await start.conn.query('select count(*)::int as n from p')).toEqual([{ n: 2 }])
      })
    })
  })
})
