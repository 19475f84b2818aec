/**
 * A generated migration that adds an enum value and uses it later in the same file (a column's default, a check, a new
 * column whose default fills the existing rows) runs on PostgreSQL 15 under keel migrate, and would not in one
 * transaction: ALTER TYPE ... ADD VALUE may run in a transaction block since PostgreSQL 12, but its value cannot be
 * used before that transaction commits (55P04 "unsafe use of new value"). The runner gives the statement a commit of
 * its own, as it gives a VALIDATE CONSTRAINT one, so require-no-transaction-directive (which said PostgreSQL refuses it
 * in a transaction block, and Keel runs it alone) no longer warns on it from PostgreSQL 12 on.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createProject, runKeel, type TestProject, withConnection, withUrl } from './project.js'

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

const V1 = `create type mood as enum ('sad', 'ok');
create table posts (id bigint primary key, m mood not null);
`
const V2 = `create type mood as enum ('sad', 'ok', 'happy');
create table posts (id bigint primary key, m mood not null default 'happy', n mood not null default 'happy',
  constraint posts_not_happy_early check (m <> 'happy' or id > 0));
create index posts_happy on posts (id) where m = 'happy';
`

describe('keel generate, an enum value added and used', () => {
  it('writes migrations that keel migrate runs on PostgreSQL 15', async () => {
    await withUrl('postgres', async (url) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      project.add('20260101000000_init', { 'up.sql': `${V1}insert into posts values (1, 'ok'), (2, 'sad');\n` })
      expect((await keel('migrate')).code).toBe(0)
      writeFileSync(join(project.root, 'schema.sql'), V2)
      const written = await keel('generate', 'happy', '--allow-unsafe')
      expect(written.code, written.stderr).toBe(0)
      const [dir] = readdirSync(project.migrations).filter((d) => /_happy$/.test(d))
      const up = readFileSync(join(project.migrations, dir as string, 'up.sql'), 'utf8')
      // The value is added, then used in the same file.
      const added = up.indexOf("ALTER TYPE public.mood ADD VALUE 'happy'")
      expect(added, up).toBeGreaterThan(-1)
      expect(up.indexOf("ADD COLUMN n public.mood DEFAULT 'happy'"), up).toBeGreaterThan(added)
      expect(up.indexOf("CHECK (((m <> 'happy'::mood)"), up).toBeGreaterThan(added)
      // In one transaction the file fails: the commit the runner gives ADD VALUE is what makes it run.
      await withConnection(url, async (conn) => {
        const body = up.replace(/^-- keel:.*$/gm, '')
        await expect(conn.query(`begin;\n${body}\ncommit;`)).rejects.toMatchObject({ code: '55P04' })
        await conn.query('rollback')
      })

      expect(written.stderr).not.toContain('require-no-transaction-directive')
      const linted = await keel('lint')
      expect(linted.code, linted.stderr).toBe(0)
      expect(linted.stdout + linted.stderr).not.toContain('require-no-transaction-directive')

      const migrated = await keel('migrate')
      expect(migrated.code, migrated.stderr).toBe(0)
      await withConnection(url, async (conn) =>
        expect(
          await conn.query(
            "select id::int as id, n::text as n, (select count(*)::int from pg_enum where enumlabel = 'happy') as added from posts order by id",
          ),
        ).toEqual([
          { id: 1, n: 'happy', added: 1 },
          { id: 2, n: 'happy', added: 1 },
        ]),
      )
    })
  })
})
