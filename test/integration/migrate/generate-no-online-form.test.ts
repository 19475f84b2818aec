/**
 * `keel generate` writes nothing that lint (and so `keel migrate`) would refuse (issue 7, issue 11): a change with no
 * online form (a stored generated column added to a table with rows) stops with error[NO_ONLINE_FORM] naming the
 * table, the column and the alternatives, and writes nothing; `--allow-unsafe` writes it marked with
 * `-- keel:lint-ignore`, so that `keel migrate` runs it knowingly and `keel lint` passes. A phased change whose backfill
 * has no key to walk by is refused at generate time, with the runner's BACKFILL_NO_KEY. On PostgreSQL and PGlite.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../support/databases.js'
import { createProject, runKeel, type TestProject, withConnection, withUrl } from './project.js'

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

const V1 = 'create table orders (id bigint primary key, total int not null);\n'

describe.each(DIALECTS)('keel generate and changes with no online form, on %s', (dialect) => {
  it('refuses a stored generated column on an existing table, then writes it marked with --allow-unsafe', async () => {
    await withUrl(dialect, async (url) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      // The starting point is written by hand, rows included: what it covers is not this file's subject, and on
      // PGlite each generate boots two in-memory databases and each connection reopens the directory.
      project.add('20260101000000_init', { 'up.sql': `${V1}insert into orders values (1, 10), (2, 20);\n` })
      expect((await keel('migrate')).code).toBe(0)
      // The new table's own generated column is safe: it is created with the table.
      writeFileSync(
        join(project.root, 'schema.sql'),
        `create table orders (id bigint primary key, total int not null, cents bigint generated always as (total * 100) stored);
create table refunds (id bigint primary key, total int not null, cents bigint generated always as (total * 100) stored);
`,
      )
      const before = readdirSync(project.migrations).sort()
      const refused = await keel('generate', 'cents')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('error[NO_ONLINE_FORM]')
      expect(refused.stderr).toContain('adds stored generated column orders.cents')
      expect(refused.stderr).toContain('public.orders.cents')
      expect(refused.stderr).toContain('--allow-unsafe')
      expect(refused.stderr).not.toContain('refunds')
      expect(readdirSync(project.migrations).sort()).toEqual(before)

      const written = await keel('generate', 'cents', '--allow-unsafe')
      expect(written.code, written.stderr).toBe(0)
      expect(written.stderr).not.toContain('error[')
      const [dir] = readdirSync(project.migrations).filter((d) => d.endsWith('_cents'))
      const up = readFileSync(join(project.migrations, dir as string, 'up.sql'), 'utf8')
      expect(up).toMatch(
        /ADD COLUMN cents bigint GENERATED ALWAYS AS \(\(total \* 100\)\) STORED; -- keel:lint-ignore ban-add-stored-generated-column accepted with --allow-unsafe: PostgreSQL computes stored generated column public\.orders\.cents/,
      )
      expect(up.match(/keel:lint-ignore/g)).toHaveLength(1)
      expect((await keel('lint')).code).toBe(0)
      const migrated = await keel('migrate')
      expect(migrated.code, migrated.stderr).toBe(0)
      await withConnection(url, async (conn) =>
        expect(await conn.query('select id::int as id, cents::int as cents from orders order by id')).toEqual([
          { id: 1, cents: 1000 },
          { id: 2, cents: 2000 },
        ]),
      )
    })
  })

  it('refuses a phased change whose backfill has no key to walk the table by, and writes nothing', async () => {
    await withUrl(dialect, async (url) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      // The history is written by hand (generate's own first migration is not the subject here): on PGlite each
      // generate boots two in-memory databases.
      project.add('20260101000000_init', { 'up.sql': 'create table hits (id int, n int);\n' })
      const before = readdirSync(project.migrations).sort()
      // int -> bigint rewrites: it goes through a new column, filled by a batched backfill.
      writeFileSync(join(project.root, 'schema.sql'), 'create table hits (id int, n bigint);\n')
      const refused = await keel('generate', 'widen')
      // Bad input (exit 2), as SPLIT_RUN: nothing ran, and the way out is a change to the schema. It exited 1.
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(
        'error[BACKFILL_NO_KEY]: cannot backfill public.hits in batches: it has no primary key or unique index over NOT NULL columns',
      )
      expect(refused.stderr).toContain('Give the table a primary key')
      expect(readdirSync(project.migrations).sort()).toEqual(before)
      // With a key, the same change is written in phases.
      project.add('20260102000000_key', { 'up.sql': 'alter table hits add primary key (id);\n' })
      writeFileSync(join(project.root, 'schema.sql'), 'create table hits (id int primary key, n bigint);\n')
      const phased = await keel('generate', 'widen')
      expect(phased.code, phased.stderr).toBe(0)
      expect(readdirSync(project.migrations).filter((d) => d.includes('_widen_'))).toHaveLength(3)
    })
  })
})
