/**
 * Two unique constraints over the same columns (or one over the primary key's), and two foreign keys over the same
 * columns, are legal in PostgreSQL when ALTER TABLE adds them. CREATE TABLE, though, drops a unique constraint that
 * repeats an earlier one in the same statement without a word: Keel's CREATE TABLE (keel inspect's SQL, keel push,
 * and a .sql source normalised on a scratch database) lost the second, so pushing `keel inspect`'s output created a
 * database without it, and pushed back to the database it came from planned to drop it. Each constraint survives
 * inspect, push and diff now, with no difference either way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-repeated-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SOURCE = `create table parent (id int primary key, code int not null unique);
create table child (id int primary key, a int, b int, constraint child_a_b_one unique (a, b));
alter table child add constraint child_a_b_two unique (a, b);
alter table child add constraint child_id_too unique (id);
alter table child add constraint child_a_one foreign key (a) references parent (id);
alter table child add constraint child_a_two foreign key (a) references parent (id);
alter table child add constraint child_a_cascade foreign key (a) references parent (id) on delete cascade;
`

const constraintsOf = (conn: Connection) =>
  conn.query<{ name: string; definition: string }>(
    "select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'child'::regclass order by conname",
  )

describe('repeated keys on postgres', () => {
  it('two uniques and two foreign keys over the same columns survive inspect, push and diff', async () => {
    await withDatabase('postgres', async (source) => {
      await source.conn.exec(SOURCE)
      const expected = await constraintsOf(source.conn)
      expect(expected.map((c) => c.name)).toEqual([
        'child_a_b_one',
        'child_a_b_two',
        'child_a_cascade',
        'child_a_one',
        'child_a_two',
        'child_id_too',
        'child_pkey',
      ])
      const inspected = await runKeel(['inspect', '--url', source.url], { cwd: dir })
      expect(inspected.code, inspected.stderr).toBe(0)
      const file = join(dir, 'inspected.sql')
      writeFileSync(file, inspected.stdout)

      // The printed schema, pushed back to the database it came from: nothing to do (it planned a drop before).
      const back = await runKeel(['push', '--schema', file, '--url', source.url, '--dry-run'], { cwd: dir })
      expect(back.code, back.stderr).toBe(0)
      expect(back.stdout).toContain('The database already matches the schema.')

      await withDatabase('postgres', async (copy) => {
        const pushed = await runKeel(['push', '--schema', file, '--url', copy.url], { cwd: dir })
        expect(pushed.code, pushed.stderr).toBe(0)
        expect(await constraintsOf(copy.conn)).toEqual(expected)
        // Either way round, the two databases do not differ.
        for (const [schema, url] of [
          [source.url, copy.url],
          [copy.url, source.url],
        ] as const) {
          const again = await runKeel(['push', '--schema', schema, '--url', url, '--dry-run'], { cwd: dir })
          expect(again.stdout, again.stderr).toContain('The database already matches the schema.')
        }
      })
    })
  })
})
