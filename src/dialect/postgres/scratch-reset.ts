import type { Connection } from '../../db/connection.js'

/**
 * How a fresh in-memory PGlite looked before its first use, to tell whether one that was used and then reset
 * (resetScratch) is again what a fresh one would be.
 *
 * Why this compares rather than trusts the reset: a scratch database runs whatever the user's migrations and schema
 * files hold, and no list of DROP statements undoes everything (a COMMENT on a built-in function, a GRANT to PUBLIC
 * on one, ALTER SYSTEM). Every row PostgreSQL writes to a catalog, inserted or updated, carries the id of the
 * transaction that wrote it (`xmin`), and every id given out after the snapshot below is at least `firstXid`; a
 * deleted row changes its catalog's row count. So a catalog with its row count of then and no row newer than then
 * holds what it held then. The reset's own new rows (the public schema made again, and its comment) are compared
 * by content instead.
 */
export interface FreshScratchState {
  readonly query: string
  readonly rows: ReadonlyMap<string, string>
  readonly publicSchema: PublicSchema
}

/** The public schema as it comes: made again by the reset (DROP SCHEMA public CASCADE is the one way to empty it). */
interface PublicSchema {
  readonly owner: string
  /** Its privileges other than the owner's own, as GRANT statements give them. */
  readonly grants: readonly {
    readonly grantee: string | null
    readonly privilege: string
    readonly grantable: boolean
  }[]
  readonly comment: string | null
  /** Its privileges as the catalog spells them: what the grants above must give again. */
  readonly acl: string | null
}

/**
 * Above this many relations (tables, their indexes, sequences and TOAST tables) a used scratch is closed rather than
 * reset: DROP SCHEMA ... CASCADE costs about 0.5 ms a relation in PGlite, and a fresh in-memory PGlite about 400 ms.
 */
const MOST_RELATIONS_TO_DROP = 400

/** Reads the state of a fresh in-memory PGlite (about 100 ms on its first read: each catalog is opened once). */
export async function readFreshState(conn: Connection): Promise<FreshScratchState> {
  const [snapshot] = await conn.query<{ xid: string }>(
    // The 32-bit id that xmin shows: an in-memory PGlite never gets near a wraparound.
    `select (pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text::bigint % 4294967296)::text as xid`,
  )
  const catalogs = await conn.query<{ name: string }>(
    `select c.relname as name from pg_catalog.pg_class c
      where c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace and c.relkind = 'r' order by 1`,
  )
  const query = stateQuery(
    catalogs.map((c) => c.name),
    snapshot?.xid ?? '0',
  )
  return { query, rows: await readState(conn, query), publicSchema: await readPublicSchema(conn) }
}

/**
 * Empties a used in-memory PGlite back to what `fresh` recorded, and says whether it now is (see
 * FreshScratchState); false too when it holds too much to drop quickly, or anything in the reset fails. A scratch
 * that is not fresh again is to be closed, not reused.
 */
export async function resetScratch(conn: Connection, fresh: FreshScratchState): Promise<boolean> {
  try {
    // A transaction left open (a schema file's BEGIN without COMMIT, or one that failed) ends first: DISCARD ALL is
    // refused inside one. A warning, not an error, when there is none.
    await conn.exec('ROLLBACK')
    // The session: settings (search_path...), SET ROLE and SET SESSION AUTHORIZATION, temporary tables, prepared
    // statements, cursors, LISTEN, advisory locks.
    await conn.exec('DISCARD ALL')
    const [{ relations = 0 } = {}] = await conn.query<{ relations: number }>(
      `select count(*)::int as relations from pg_catalog.pg_class where oid >= 16384`,
    )
    if (relations > MOST_RELATIONS_TO_DROP) return false
    const statements = await conn.query<{ sql: string }>(DROP_STATEMENTS_SQL)
    // One script, so one transaction: a reset that fails half-way leaves nothing half-done behind it.
    await conn.exec([...statements.map((s) => s.sql), ...recreatePublic(fresh.publicSchema)].join(';\n'))
    return sameState(await readState(conn, fresh.query), fresh.rows) && samePublic(await readPublicSchema(conn), fresh)
  } catch {
    return false
  }
}

/**
 * The statements that drop what a use made, in an order that works: event triggers first (one on sql_drop could
 * refuse the rest), extensions before the schemas their objects are in, then every schema but the system's (public
 * too, made again after), large objects, and the roles made (oids from 16384 are not initdb's), with what they were
 * granted; then settings given with ALTER DATABASE or ALTER ROLE.
 */
const DROP_STATEMENTS_SQL = `
select sql from (
  select 1 as step, 'DROP EVENT TRIGGER ' || pg_catalog.quote_ident(evtname) as sql from pg_catalog.pg_event_trigger
  union all
  select 2, 'DROP PUBLICATION ' || pg_catalog.quote_ident(pubname) from pg_catalog.pg_publication
  union all
  select 3, 'DROP EXTENSION ' || pg_catalog.quote_ident(extname) || ' CASCADE' from pg_catalog.pg_extension
   where extname <> 'plpgsql'
  union all
  select 4, 'DROP SCHEMA ' || pg_catalog.quote_ident(nspname) || ' CASCADE' from pg_catalog.pg_namespace
   where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname !~ '^pg_(toast_)?temp_'
  union all
  select 5, 'SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata'
   where exists (select from pg_catalog.pg_largeobject_metadata)
  union all
  select 6, 'DROP OWNED BY ' || pg_catalog.quote_ident(rolname) || '; DROP ROLE ' || pg_catalog.quote_ident(rolname)
    from pg_catalog.pg_authid where oid >= 16384
  union all
  select 7, case
      when s.setrole = 0 and s.setdatabase = 0 then 'ALTER ROLE ALL RESET ALL'
      when s.setrole = 0 then 'ALTER DATABASE ' || pg_catalog.quote_ident(d.datname) || ' RESET ALL'
      when s.setdatabase = 0 then 'ALTER ROLE ' || pg_catalog.quote_ident(r.rolname) || ' RESET ALL'
      else 'ALTER ROLE ' || pg_catalog.quote_ident(r.rolname) || ' IN DATABASE ' || pg_catalog.quote_ident(d.datname)
        || ' RESET ALL'
    end
    from pg_catalog.pg_db_role_setting s
    left join pg_catalog.pg_database d on d.oid = s.setdatabase
    left join pg_catalog.pg_authid r on r.oid = s.setrole
   where s.setrole < 16384
) statements order by step`

function recreatePublic(publicSchema: PublicSchema): string[] {
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`
  return [
    `CREATE SCHEMA public AUTHORIZATION ${ident(publicSchema.owner)}`,
    ...publicSchema.grants.map(
      (g) =>
        `GRANT ${g.privilege} ON SCHEMA public TO ${g.grantee === null ? 'PUBLIC' : ident(g.grantee)}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
    ),
    ...(publicSchema.comment === null
      ? []
      : [`COMMENT ON SCHEMA public IS '${publicSchema.comment.replaceAll("'", "''")}'`]),
  ]
}

/**
 * One row per catalog with its row count and its rows newer than `xid`, then the settings in force and those of the
 * configuration files (ALTER SYSTEM). Left out, with why:
 * - pg_statistic: the planner's statistics; ANALYZE writes them for the system catalogs too, and Keel reads none.
 * - temporary schemas (pg_temp_N): a session that made a temporary table keeps its empty schema after DISCARD ALL.
 * - the public schema's row, its comment and its initial privileges (pg_init_privs): the reset made them again; they
 *   are compared by content (samePublic).
 * - settings named `a.b`: a library loaded by a use (plpgsql's, an extension's) registers its own, at their defaults.
 */
function stateQuery(catalogs: readonly string[], xid: string): string {
  const newer = `xmin::text::bigint >= ${xid}`
  const counted = catalogs
    .filter((name) => name !== 'pg_statistic')
    .map((name) => {
      const where = catalogFilter(name)
      return `select '${name}' as key, count(*)::text || '/' || count(*) filter (where ${newer}${where.newRows ?? ''})::text as value
  from pg_catalog.${name}${where.rows === undefined ? '' : ` where ${where.rows}`}`
    })
  return [
    ...counted,
    `select 'settings', pg_catalog.md5(pg_catalog.string_agg(name || '=' || coalesce(setting, ''), ',' order by name))
  from pg_catalog.pg_settings where name !~ '[.]'`,
    `select 'files', pg_catalog.md5(coalesce(pg_catalog.string_agg(coalesce(sourcefile, '') || ':' || coalesce(name, '')
  || '=' || coalesce(setting, ''), ',' order by seqno), ''))
  from pg_catalog.pg_file_settings`,
  ].join('\nunion all\n')
}

function catalogFilter(name: string): { readonly rows?: string; readonly newRows?: string } {
  switch (name) {
    case 'pg_namespace':
      return { rows: `nspname !~ '^pg_(toast_)?temp_'`, newRows: ` and nspname <> 'public'` }
    case 'pg_description':
      return {
        newRows: ` and not (classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass and objoid = 'public'::pg_catalog.regnamespace)`,
      }
    case 'pg_init_privs':
      return { rows: `classoid <> 'pg_catalog.pg_namespace'::pg_catalog.regclass` }
    default:
      return {}
  }
}

async function readState(conn: Connection, query: string): Promise<ReadonlyMap<string, string>> {
  const rows = await conn.query<{ key: string; value: string }>(query)
  return new Map(rows.map((row) => [row.key, row.value]))
}

function sameState(now: ReadonlyMap<string, string>, fresh: ReadonlyMap<string, string>): boolean {
  if (now.size !== fresh.size) return false
  for (const [key, value] of fresh) if (now.get(key) !== value) return false
  return true
}

async function readPublicSchema(conn: Connection): Promise<PublicSchema> {
  const [row] = await conn.query<{ owner: string; comment: string | null; acl: string | null }>(
    `select pg_catalog.pg_get_userbyid(nspowner) as owner, pg_catalog.obj_description(oid, 'pg_namespace') as comment,
            nspacl::text as acl
       from pg_catalog.pg_namespace where nspname = 'public'`,
  )
  const grants = await conn.query<{ grantee: string | null; privilege: string; grantable: boolean }>(
    `select case when a.grantee = 0 then null else pg_catalog.pg_get_userbyid(a.grantee) end as grantee,
            a.privilege_type as privilege, a.is_grantable as grantable
       from pg_catalog.pg_namespace n, lateral pg_catalog.aclexplode(n.nspacl) a
      where n.nspname = 'public' and a.grantee <> n.nspowner
      order by 1 nulls first, 2`,
  )
  return { owner: row?.owner ?? 'pg_database_owner', grants, comment: row?.comment ?? null, acl: row?.acl ?? null }
}

function samePublic(now: PublicSchema, fresh: FreshScratchState): boolean {
  return JSON.stringify(now) === JSON.stringify(fresh.publicSchema)
}
