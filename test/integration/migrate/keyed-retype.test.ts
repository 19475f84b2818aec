import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import { withDatabase } from '../../support/databases.js'
import { createProject, runKeel, type TestProject, withConnection } from './project.js'

// Issue 7: a type change on a key column (primary key int → bigint, referenced by a foreign key) and on an
// indexed one is planned as expand / backfill / contract, as pgroll and strong_migrations do it: a new column
// kept in step by a trigger, a batched backfill, the indexes built again CONCURRENTLY, NOT NULL proven by a
// validated check, the foreign key added again NOT VALID then validated, and in one short transaction the
// columns swapped and the key attached USING INDEX. Writers keep inserting and updating through every phase;
// no write fails and no row is lost.
const V1 = `create table users (
  id int primary key,
  n int,
  email text not null
);
create index users_n_idx on users (n);
create table posts (
  id bigint primary key,
  user_id int not null references users (id) on delete cascade,
  body text
);
`
const V2 = V1.replace('id int primary key', 'id bigint primary key').replace('n int,', 'n bigint,')

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

/** Two writers: each inserts a user and a post for it, and updates an old user, until stopped. */
function writers(url: string) {
  const state = { users: 0, posts: 0, updates: 0, failed: [] as string[], stop: false }
  const loops = [1, 2].map(async (w) => {
    const client = new pg.Client({ connectionString: url, application_name: `app-writer-${w}` })
    await client.connect()
    try {
      for (let i = 0; !state.stop; i++) {
        const id = w * 1_000_000 + i
        try {
          await client.query('insert into users (id, n, email) values ($1, $2, $3)', [id, i, `w${id}@x`])
          state.users++
          await client.query('insert into posts (id, user_id, body) values ($1, $2, $3)', [id, id, 'live'])
          state.posts++
          await client.query('update users set n = n + 1 where id = $1', [1 + (i % 500)])
          state.updates++
        } catch (error) {
          state.failed.push((error as Error).message)
        }
      }
    } finally {
      await client.end()
    }
  })
  const stop = () => {
    state.stop = true
    return Promise.all(loops)
  }
  return { state, stop }
}

const count = async (url: string, sql: string) =>
  withConnection(url, async (conn) => Number((await conn.query<{ n: number }>(sql))[0]?.n))

describe('a type change on a key column, on postgres', () => {
  it('int → bigint of a primary key referenced by a foreign key and of an indexed column, under writers', {
    timeout: 180_000,
  }, async () => {
    await withDatabase('postgres', async ({ url }) => {
      const keel = async (...args: string[]) => {
        const run = await runKeel(project, url, ...args)
        expect(run.stderr).not.toContain('error[')
        expect(run.code).toBe(0)
        return run
      }
      writeFileSync(join(project.root, 'schema.sql'), V1)
      await keel('generate', 'init')
      await keel('migrate')
      await withConnection(url, (conn) =>
        conn.exec(
          "insert into users select g, g, 'u' || g || '@x' from generate_series(1, 3000) g; insert into posts select g, g, 'seed' from generate_series(1, 3000) g",
        ),
      )
      writeFileSync(join(project.root, 'schema.sql'), V2)
      await keel('generate', 'widen')
      const ids = readdirSync(project.migrations).filter((d) => d.includes('_widen_'))
      expect(ids.map((d) => d.replace(/^\d+_/, ''))).toEqual(['widen_expand', 'widen_backfill', 'widen_contract'])
      const contract = readFileSync(join(project.migrations, ids[2] as string, 'up.sql'), 'utf8')
      for (const expected of [
        'CREATE UNIQUE INDEX CONCURRENTLY users_pkey_keel_new ON public.users (id_keel_new)',
        'CHECK (id_keel_new IS NOT NULL) NOT VALID',
        'CREATE INDEX CONCURRENTLY users_n_idx_keel_new ON public.users (n_keel_new)',
        'REFERENCES public.users (id_keel_new) ON DELETE CASCADE NOT VALID',
        'VALIDATE CONSTRAINT posts_user_id_fkey_keel_new',
        'ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey_keel_new',
      ]) {
        expect(contract).toContain(expected)
      }
      // The old type's writes go on through every phase: expand, backfill and contract.
      const load = writers(url)
      let seen = { users: 0, posts: 0 }
      try {
        for (const [i, id] of ids.entries()) {
          await migrate({ url, migrationsDir: project.migrations, to: id })
          // Writers got rows in during each phase (the phases never blocked them for good).
          const now = { ...load.state }
          expect(now.users).toBeGreaterThanOrEqual(seen.users)
          seen = now
          if (i === 0) {
            // Between expand and contract, the trigger fills the new column on every write.
            expect(
              await count(
                url,
                'select count(*)::int as n from users where id_keel_new is distinct from id::bigint and id_keel_new is not null',
              ),
            ).toBe(0)
          }
        }
      } finally {
        await load.stop()
      }
      expect(load.state.failed).toEqual([])
      expect(load.state.users).toBeGreaterThan(0)
      // No row lost: the seed rows and every committed insert, each post still pointing at its user.
      expect(await count(url, 'select count(*)::int as n from users')).toBe(3000 + load.state.users)
      expect(await count(url, 'select count(*)::int as n from posts')).toBe(3000 + load.state.posts)
      expect(await count(url, 'select count(*)::int as n from users where n is null')).toBe(0)
      expect(
        await count(
          url,
          'select count(*)::int as n from posts p left join users u on u.id = p.user_id where u.id is null',
        ),
      ).toBe(0)
      await withConnection(url, async (conn) => {
        expect(
          await conn.query(
            "select conname, contype, convalidated from pg_constraint where conrelid in ('users'::regclass, 'posts'::regclass) order by conname",
          ),
        ).toEqual([
          { conname: 'posts_pkey', contype: 'p', convalidated: true },
          { conname: 'posts_user_id_fkey', contype: 'f', convalidated: true },
          { conname: 'users_pkey', contype: 'p', convalidated: true },
        ])
        expect(
          await conn.query(
            "select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'users'::regclass and attname in ('id', 'n') order by attname",
          ),
        ).toEqual([{ type: 'bigint' }, { type: 'bigint' }])
        expect(await conn.query("select count(*)::int as n from pg_trigger where tgname like '%keel_sync'")).toEqual([
          { n: 0 },
        ])
      })
      // The database is exactly the schema (the final schema the naive plan reaches), nothing of the phases left.
      const drift = await keel('diff', '--from', url, '--to', join(project.root, 'schema.sql'), '--json')
      expect(JSON.parse(drift.stdout).changes).toEqual([])
    })
  })
})
