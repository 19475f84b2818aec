/**
 * `keel push` again after a push stopped in its backfill, when what it left is not what the next push would write.
 * The sync function and trigger a stopped push leaves were told from a user's own only by their name
 * (`<table>_keel_sync`), and a backfill hint changed in between was not seen: the new function replaced the old one,
 * and the backfill filled only the rows still unset, so the rows filled before the stop kept the old hint's values,
 * silently. Keel now marks its function (a COMMENT with what it fills), refuses a function of that name it did not
 * write (SYNC_NAME_TAKEN) and a changed hint over a half-filled column (BACKFILL_CHANGED), and each way out its hint
 * names leaves every row with one hint's values. PostgreSQL 15 through the CLI.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { useProject } from '../integration/migrate/project.js'
import { assertBuilt } from '../integration/migrate/spawn.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

beforeAll(() => assertBuilt())
const project = useProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
const keel = (url: string, ...args: string[]) =>
  runKeel([...args, '--config', project.config, '--url', url], { cwd: project.root })

const ROWS = 2500
/** A batch that fails stops the push after the expand and its first batch (1,000 rows): the row 1500 refuses updates while stop_here has a row. */
const STOP = `create table stop_here (id int primary key);
create function stop_row() returns trigger language plpgsql as $$ begin if exists (select 1 from stop_here) then raise exception 'stopped here'; end if; return new; end $$;
create trigger stop_row before update on t for each row when (old.id = 1500) execute function stop_row();
`
const START = `create table t (id int primary key, a text not null);
insert into t select g, 'Row' || g from generate_series(1, ${ROWS}) g;
${STOP}insert into stop_here values (1);
`
const schema = (hint: string) =>
  `create table t (id int primary key, a text not null,\n  b text not null -- keel:backfill ${hint}\n);\n${STOP}`

/** How many rows of t hold each hint's value in b (and none anything else). */
async function filled(conn: Connection): Promise<{ upper: number; lower: number; other: number }> {
  const [row] = await conn.query<{ upper: number; lower: number; other: number }>(
    `select count(*) filter (where b = upper(a))::int as upper, count(*) filter (where b = lower(a))::int as lower,
       count(*) filter (where b is distinct from upper(a) and b is distinct from lower(a))::int as other from t`,
  )
  return row as { upper: number; lower: number; other: number }
}

/** Pushes upper(a) and lets it stop after its first batch; then the hint becomes lower(a) and push is refused. */
async function stopThenChangeHint(url: string, conn: Connection): Promise<void> {
  await conn.exec(START)
  writeFileSync(join(project.root, 'schema.sql'), schema('upper(a)'))
  const stopped = await keel(url, 'push')
  expect(stopped.code, stopped.stderr).toBe(1)
  expect(stopped.stderr).toContain('stopped here')
  await conn.exec('delete from stop_here; insert into t (id, a) values (9999, $$Late$$)')
  expect(await filled(conn)).toEqual({ upper: 1001, lower: 0, other: ROWS - 1000 })

  writeFileSync(join(project.root, 'schema.sql'), schema('lower(a)'))
  const changed = await keel(url, 'push')
  expect(changed.code, changed.stderr).toBe(1)
  expect(changed.stderr).toContain(
    'error[BACKFILL_CHANGED]: public.t.b was being filled with (upper(a)) by a push that stopped before its contract, and is now to be filled with (lower(a))',
  )
  expect(changed.stderr).toContain('drop column public.t.b')
  // Refused before anything ran: the old function still fills b as it did.
  await conn.exec(`insert into t (id, a) values (10000, 'Later')`)
  expect(await filled(conn)).toEqual({ upper: 1002, lower: 0, other: ROWS - 1000 })
}

describe('keel push again after a stopped push, over what it left, on postgres', { timeout: 180_000 }, () => {
  it('refuses a changed backfill hint; with the old hint back it finishes, every row from the old hint', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await stopThenChangeHint(url, conn)
      writeFileSync(join(project.root, 'schema.sql'), schema('upper(a)'))
      const again = await keel(url, 'push')
      expect(again.code, again.stderr).toBe(0)
      expect(await filled(conn)).toEqual({ upper: ROWS + 2, lower: 0, other: 0 })
    })
  })

  it('refuses a changed backfill hint; with the half-filled column dropped, every row gets the new hint', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await stopThenChangeHint(url, conn)
      await conn.exec('alter table t drop column b')
      const again = await keel(url, 'push')
      expect(again.code, again.stderr).toBe(0)
      expect(await filled(conn)).toEqual({ upper: 0, lower: ROWS + 2, other: 0 })
      expect(await conn.query("select count(*)::int as left from pg_proc where proname = 't_keel_sync'")).toEqual([
        { left: 0 },
      ])
    })
  })

  it('refuses to take over a function of yours named t_keel_sync, and leaves it and its trigger as they are', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const mine = `create table t (id int primary key, n int, seen int);
create function t_keel_sync() returns trigger language plpgsql as $$ begin new.seen := coalesce(new.seen, 0) + 1; return new; end $$;
create trigger t_keel_sync before insert or update on t for each row execute function t_keel_sync();
`
      await conn.exec(`${mine}insert into t (id, n) values (1, 10);`)
      writeFileSync(join(project.root, 'schema.sql'), mine.replace('n int', 'n bigint'))
      const refused = await keel(url, 'push')
      expect(refused.code, refused.stderr).toBe(1)
      expect(refused.stderr).toContain(
        'error[SYNC_NAME_TAKEN]: the expand phase of public.t needs the name t_keel_sync for its sync function and trigger, but the schema declares it',
      )
      // Not declared in the schema, it is still yours: not replaced, not dropped.
      writeFileSync(join(project.root, 'schema.sql'), 'create table t (id int primary key, n bigint, seen int);\n')
      const again = await keel(url, 'push')
      expect(again.code, again.stderr).toBe(1)
      expect(again.stderr).toContain('error[SYNC_NAME_TAKEN]')
      expect(again.stderr).toContain('a function of that name that Keel did not write')
      await conn.exec('update t set n = 11 where id = 1')
      expect(await conn.query('select n, seen from t')).toEqual([{ n: 11, seen: 2 }])
      expect(
        await conn.query(
          "select data_type from information_schema.columns where table_name = 't' and column_name = 'n'",
        ),
      ).toEqual([{ data_type: 'integer' }])
    })
  })
})
