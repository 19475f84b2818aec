/**
 * `keel diff | psql` runs each statement on its own (no -1): an enum recreated in place (a value removed) is a run of
 * statements, rename the type away, create it again, convert each column, drop the old one, and a conversion that
 * fails half-way (a row still holds the removed value) left the type renamed away and the first table converted; a
 * rerun then failed at the rename. The printed SQL now wraps that run in BEGIN and COMMIT: the failure leaves the
 * database as it was, and once the row is fixed the same SQL applies. An expression index over a converted column is
 * dropped in that transaction too: dropped concurrently before it, it stayed dropped after the failure, and a rerun
 * failed at its DROP INDEX. Piped through the real psql client.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-diff-psql-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const tables = `create table a (id int primary key, m mood);
create table b (id int primary key, m mood check (m <> 'happy'));
create index b_m_ok on b ((m = 'ok'));`

/** The SQL piped into psql as a user would, each statement in autocommit, stopping at the first error. */
function psql(url: string, sql: string): { status: number | null; stderr: string } {
  const { hostname, port, username, pathname } = new URL(url)
  const result = spawnSync(
    'psql',
    ['-X', '-h', hostname, '-p', port || '5432', '-U', username, '-d', pathname.slice(1), '-v', 'ON_ERROR_STOP=1'],
    { input: sql, encoding: 'utf8' },
  )
  return { status: result.status, stderr: result.stderr }
}

describe('keel diff piped to psql, an enum recreated in place', () => {
  it('changes nothing when a conversion fails half-way, and applies once the row is fixed', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(`create type mood as enum ('sad', 'ok', 'happy');
${tables}
insert into a values (1, 'ok');
insert into b values (1, 'sad');`)
      const dir = mkdtempSync(join(root, 'case-'))
      writeFileSync(join(dir, 'schema.sql'), `create type mood as enum ('ok', 'happy');\n${tables}\n`)
      const printed = await runKeel(['diff', '--from', url, '--to', 'schema.sql'], { cwd: dir })
      expect(printed.code).toBe(0)
      // The run from the drops of the check and the expression index to their return, all in the transaction (the
      // conversion holds the table under ACCESS EXCLUSIVE until it commits anyway).
      expect(printed.stdout).toMatch(
        /^BEGIN;\n.*\nDROP INDEX public\.b_m_ok;\n.*\nALTER TABLE public\.b DROP CONSTRAINT b_m_check;$[\s\S]*RENAME TO mood_keel_old;[\s\S]*DROP TYPE public\.mood_keel_old;\n.*\n.*ADD CONSTRAINT b_m_check CHECK .*;\n.*\nCREATE INDEX b_m_ok .*;\nCOMMIT;$/m,
      )

      // b's row still holds 'sad': its conversion fails after a's.
      const failed = psql(url, printed.stdout)
      expect(failed.status).toBe(3)
      expect(failed.stderr).toMatch(/invalid input value for enum mood: "sad"/)
      const state = () =>
        conn.query(`select t.typname, array_to_string(enum_range(null::mood), ',') as mood_values,
            (select string_agg(a.attrelid::regclass || '.' || format_type(a.atttypid, null), ',' order by 1)
               from pg_attribute a where a.attname = 'm' and a.attrelid in ('a'::regclass, 'b'::regclass)) as columns,
            (select count(*)::int from pg_constraint where conname = 'b_m_check') as checks,
            (select count(*)::int from pg_index where indexrelid = to_regclass('b_m_ok')) as indexes
          from pg_type t where t.typname like 'mood%' and t.typtype = 'e'`)
      const before = [{ typname: 'mood', mood_values: 'sad,ok,happy', columns: 'a.mood,b.mood', checks: 1, indexes: 1 }]
      expect(await state()).toEqual(before)

      // Fixed, the same SQL applies, once.
      await conn.exec(`update b set m = 'ok'`)
      const applied = psql(url, printed.stdout)
      expect(applied.stderr).not.toMatch(/ERROR/)
      expect(applied.status).toBe(0)
      expect(await state()).toEqual([
        { typname: 'mood', mood_values: 'ok,happy', columns: 'a.mood,b.mood', checks: 1, indexes: 1 },
      ])
      expect(await conn.query('select m::text as m from a union all select m::text from b')).toEqual([
        { m: 'ok' },
        { m: 'ok' },
      ])
    })
  })
})

// What is dropped around the conversion comes back in the same transaction: made again after its COMMIT, behind a
// concurrent index build or a VALIDATE, the table went without its trigger (writes not seen by it), its restrictive
// policy (rows shown that it hides) and the views over it for as long as those took, and for good if one failed.
describe('keel diff piped to psql, an enum recreated in place with a trigger, a policy and an index over its column', () => {
  it('has them all back when the recreation commits', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const schema = (values: string) => `create type mood as enum (${values});
create table kid (id int primary key, m mood, n int, constraint kid_m_known check (m <> 'happy'));
create index kid_ok on kid (id) where m = 'ok';
create function touch() returns trigger language plpgsql as $$ begin new.n := 1; return new; end $$;
create trigger kid_touch before update of m on kid for each row execute function touch();
alter table kid enable row level security;
create policy kid_not_happy on kid as restrictive using (m::text <> 'happy');
create view kid_moods as select id, m from kid;
`
      await conn.exec(schema("'sad', 'ok', 'happy'"))
      const dir = mkdtempSync(join(root, 'case-'))
      writeFileSync(join(dir, 'schema.sql'), schema("'ok', 'happy'"))
      const printed = await runKeel(['diff', '--from', url, '--to', 'schema.sql'], { cwd: dir })
      expect(printed.code).toBe(0)
      const [recreation] = printed.stdout.split(/^COMMIT;$/m)
      expect(psql(url, `${recreation}COMMIT;\n`).status).toBe(0)

      expect(
        await conn.query(`select
            (select string_agg(tgname, ',') from pg_trigger where tgrelid = 'kid'::regclass and not tgisinternal) as triggers,
            (select string_agg(polname, ',') from pg_policy where polrelid = 'kid'::regclass) as policies,
            (select string_agg(conname, ',' order by conname) from pg_constraint where conrelid = 'kid'::regclass and convalidated) as constraints,
            to_regclass('kid_ok') is not null as index, to_regclass('kid_moods') is not null as view`),
      ).toEqual([
        {
          triggers: 'kid_touch',
          policies: 'kid_not_happy',
          constraints: 'kid_m_known,kid_pkey',
          index: true,
          view: true,
        },
      ])
      // Nothing is left for after the recreation.
      expect(printed.stdout.split(/^COMMIT;$/m)[1]?.trim()).toBe('')
    })
  })
})
