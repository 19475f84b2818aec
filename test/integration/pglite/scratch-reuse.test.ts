/**
 * Scratch PGlites reused within a scope (src/db/scratch-reuse.ts, src/dialect/postgres/pglite-scratch.ts): the
 * second use of one gets the PGlite the first disposed of, emptied, and must see nothing of that first use; what the
 * reset cannot undo makes the next use get a new PGlite instead.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { reusingScratchDatabases } from '../../../src/db/scratch-reuse.js'

/** When the PGlite started: the same in two uses of one PGlite, not in two PGlites (each takes ~0.4 s to start). */
async function startedAt(conn: Connection): Promise<string> {
  const [row] = await conn.query<{ started: string }>('select pg_postmaster_start_time()::text as started')
  return row?.started ?? ''
}

/**
 * What a use can leave behind that the next must not see, read as one object: objects of every kind (through the
 * catalogs' user oids), roles, settings of the session, the database and the role, the public schema's privileges
 * and comment, extensions, large objects, event triggers, publications, temporary tables, prepared statements, and
 * whether a transaction is open.
 */
async function visibleState(conn: Connection): Promise<unknown> {
  const [row] = await conn.query(`select
    (select array_agg(nspname order by nspname) from pg_namespace where nspname !~ '^pg_(toast_)?temp_') as schemas,
    (select count(*)::int from pg_class where oid >= 16384) as relations,
    (select count(*)::int from pg_type where oid >= 16384) as types,
    (select count(*)::int from pg_proc where oid >= 16384) as routines,
    (select array_agg(rolname order by rolname) from pg_roles) as roles,
    (select count(*)::int from pg_db_role_setting) as stored_settings,
    (select count(*)::int from pg_default_acl) as default_privileges,
    (select array_agg(extname order by extname) from pg_extension) as extensions,
    (select count(*)::int from pg_largeobject_metadata) as large_objects,
    (select count(*)::int from pg_event_trigger) as event_triggers,
    (select count(*)::int from pg_publication) as publications,
    (select count(*)::int from pg_prepared_statements) as prepared,
    (select nspacl::text from pg_namespace where nspname = 'public') as public_acl,
    obj_description('public'::regnamespace, 'pg_namespace') as public_comment,
    to_regclass('pg_temp.leftover') is not null as temp_table,
    current_setting('search_path') as search_path,
    current_setting('work_mem') as work_mem,
    current_setting('statement_timeout') as statement_timeout,
    current_user as role,
    pg_current_xact_id_if_assigned() is not null as in_transaction`)
  return row
}

/** A first use that leaves something of every kind the reset undoes, and a transaction open. */
const FIRST_USE = [
  'create schema app',
  "create type app.mood as enum ('happy', 'sad')",
  'create table app.accounts (id bigint generated always as identity primary key, mood app.mood)',
  'create table public.notes (id serial primary key, body text)',
  'create index notes_body on public.notes (body)',
  'create view public.note_bodies as select body from public.notes',
  "create function public.answer() returns int language sql as 'select 42'",
  'create extension citext',
  'create role app_reader',
  'grant usage on schema app to app_reader',
  'grant select on app.accounts to app_reader',
  'alter default privileges in schema app grant select on tables to app_reader',
  "comment on schema public is 'changed by the first use'",
  'revoke create on schema public from public',
  "alter database postgres set statement_timeout = '5s'",
  "alter role postgres set work_mem = '8MB'",
  'create function public.on_ddl() returns event_trigger language plpgsql as $$ begin end $$',
  'create event trigger note_ddl on ddl_command_start execute function public.on_ddl()',
  'create publication everything for all tables',
  'select lo_create(0)',
  'create temp table leftover (x int)',
  'prepare leftover_plan as select 1',
  'set search_path = app',
  "set work_mem = '16MB'",
  'set role app_reader',
  'begin',
  'select 1',
]

describe('scratch PGlites reused in a scope', () => {
  it('gives the second use the first one’s PGlite with nothing of the first use in it', async () => {
    const fresh = await createScratchDatabase()
    const freshState = await visibleState(fresh.conn)
    await fresh.dispose()
    await reusingScratchDatabases(async () => {
      const first = await createScratchDatabase()
      const started = await startedAt(first.conn)
      for (const sql of FIRST_USE) await first.conn.exec(sql)
      // The first use did change what the state shows, so that the comparison below means something.
      expect(await visibleState(first.conn)).not.toEqual(freshState)
      await first.dispose()

      const second = await createScratchDatabase()
      try {
        expect(await startedAt(second.conn)).toBe(started)
        expect(await visibleState(second.conn)).toEqual(freshState)
        // The names the first use took are free again.
        await second.conn.exec(FIRST_USE.slice(0, 8).join(';\n'))
      } finally {
        await second.dispose()
      }
    })
  })

  it('gives a new PGlite after a use the reset cannot undo (a comment on a built-in function)', async () => {
    await reusingScratchDatabases(async () => {
      const first = await createScratchDatabase()
      const started = await startedAt(first.conn)
      await first.conn.exec(`comment on function pg_catalog.now() is 'changed by the first use'`)
      await first.dispose()

      const second = await createScratchDatabase()
      try {
        expect(await startedAt(second.conn)).not.toBe(started)
        const [row] = await second.conn.query<{ comment: string }>(
          `select obj_description('pg_catalog.now()'::regprocedure, 'pg_proc') as comment`,
        )
        expect(row?.comment).not.toBe('changed by the first use')
      } finally {
        await second.dispose()
      }
    })
  })

  it('refuses a disposed scratch’s connection, which would reach the next use’s database', async () => {
    await reusingScratchDatabases(async () => {
      const first = await createScratchDatabase()
      const { conn } = first
      await first.dispose()
      const second = await createScratchDatabase()
      try {
        await expect(conn.query('select 1')).rejects.toThrow(/used after it was disposed/)
        await expect(second.conn.query('select 1')).resolves.toHaveLength(1)
      } finally {
        await second.dispose()
      }
    })
  })

  it('makes a new PGlite for each scratch outside a scope', async () => {
    const first = await createScratchDatabase()
    const started = await startedAt(first.conn)
    await first.dispose()
    const second = await createScratchDatabase()
    try {
      expect(await startedAt(second.conn)).not.toBe(started)
    } finally {
      await second.dispose()
    }
  })
})
