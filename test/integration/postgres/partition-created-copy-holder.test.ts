/**
 * A partition the plan creates, whose copy of its parent's index the goal names otherwise than the server does (a
 * copy renamed there, or an expression index's copy named from the text written there: created-copy-names.ts). The
 * plan renamed it by its default name, `ALTER INDEX <partition>_k_idx RENAME TO ...`; where another table's index
 * holds that default (made before the parent's index), the server gives the copy `_k_idx1`, and that ALTER INDEX
 * renamed the other table's index instead. The rename now finds the copy by the index it is attached to, as it does
 * for a copy of a partition that exists (steps-table.ts renameCopyOf). PostgreSQL 15 and PGlite.
 */
import { describe, expect, it } from 'vitest'
import { diffOptionsFor } from '../../../src/cli/diff-options.js'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { emptySchema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')

reuseDatabasesInFile()

// Another table's index under the name the server gives m_p1's copy of an index on (k), made before that index.
const TREE = `create table m (id int, k int) partition by range (id);
create table m_p1 partition of m for values from (0) to (100);
create table other (x int);
create index m_p1_k_idx on other (x);
`

// Every index of the schema by name, with its table.
const indexes = (conn: Connection) =>
  conn.query<{ name: string; on: string }>(
    `select c.relname as name, x.indrelid::regclass::text as on from pg_index x join pg_class c on c.oid = x.indexrelid
      where c.relnamespace = 'public'::regnamespace order by 1`,
  )

describe.each(DIALECTS)(
  'a created partition’s copy renamed beside another table’s index of its default name, on %s',
  (name) => {
    it.each([
      ['a copy renamed in the goal', 'create index m_k on m (k);\nalter index m_p1_k_idx1 rename to m_p1_own;\n'],
      [
        'an expression index’s copy, named from the text the goal was written with',
        'create index m_text on m (text(k));\n',
      ],
    ])('leaves the other table’s index alone: %s', async (_case, index) => {
      await withReusedDatabase(name, async (goal) => {
        await goal.conn.exec(`${TREE}${index}`)
        const target = await dialect.introspect(goal.conn)
        await withReusedDatabase(name, async (start) => {
          const plan = dialect.plan(
            diff(emptySchema, target, [], await diffOptionsFor(dialect, emptySchema, target)).changes,
            safePolicy,
          )
          await applyPlan(start.conn, plan)
          const made = await indexes(start.conn)
          expect(made).toContainEqual({ name: 'm_p1_k_idx', on: 'other' })
          expect(made).toEqual(await indexes(goal.conn))
          expect(diff(await dialect.introspect(start.conn), target, [], dialect).changes).toEqual([])
        })
      })
    })
  },
)
