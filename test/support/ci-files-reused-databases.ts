/**
 * Databases a test file hands from one case to the next, emptied in between, instead of a new one per case.
 *
 * A new in-memory PGlite costs about 0.7 s of CPU (the template's data directory loaded into a fresh WebAssembly
 * instance: 3.6 s for five here), and a server database a CREATE DATABASE, a DROP DATABASE and the checkpoint the drop
 * asks for; emptying one (every schema dropped, public made again as initdb makes it) costs under 20 ms. The partition
 * and domain files take two databases per case on each dialect, 20 to 70 of them per file.
 *
 * A database goes back to the file only when it is, by its catalogs, the one it was when new (fingerprint below):
 * an object outside every schema (an event trigger, a foreign server, a publication, a database setting), a session
 * left in a state that DISCARD ALL cannot end, or another session still connected makes it be closed and dropped
 * instead, and the next case gets a new one.
 * A case that fails gives its database up too, so that nothing it left behind can reach another case. Cases that run
 * at once each get their own database.
 *
 * Opt in per file, at its top level: `reuseDatabasesInFile()`. Its afterAll closes and drops what the file kept; files
 * share their worker's modules (vitest.config.ts, isolate: false), so without the opt-in `withReusedDatabase` is
 * withDatabase, a new database per call.
 */
import { afterAll, beforeAll } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { POSTGRES_URL, type TestDatabase, type TestDialect, withDatabase } from './databases.js'

interface Kept {
  readonly scratch: ScratchDatabase
  /** The catalogs' fingerprint when the database was new. */
  readonly fresh: string
}

type Idle = Record<TestDialect, Kept[]>

/** The idle databases of the file that opted in, if one did; a worker runs one file at a time. */
let idle: Idle | undefined

/** Makes this file's withReusedDatabase calls hand databases on (see above); call at the file's top level. */
export function reuseDatabasesInFile(): void {
  const own: Idle = { postgres: [], pglite: [] }
  beforeAll(() => {
    idle = own
  })
  afterAll(async () => {
    if (idle === own) idle = undefined
    const all = [...own.postgres, ...own.pglite].map((kept) => kept.scratch)
    own.postgres = []
    own.pglite = []
    // Together: concurrent DROP DATABASEs share the checkpoints they wait for (databases.ts dropAfterFile).
    await Promise.all(all.map((scratch) => scratch.dispose()))
  })
}

/** withDatabase, on a database another case of the file may have used and emptied (when the file opted in). */
export async function withReusedDatabase<T>(dialect: TestDialect, fn: (db: TestDatabase) => Promise<T>): Promise<T> {
  const pool = idle
  if (pool === undefined) return withDatabase(dialect, fn)
  const kept = pool[dialect].pop() ?? (await open(dialect))
  let passed = false
  try {
    const result = await fn({ dialect, url: kept.scratch.url, conn: kept.scratch.conn })
    passed = true
    return result
  } finally {
    const again = passed && (await emptied(kept))
    if (again && idle === pool) pool[dialect].push(kept)
    else await kept.scratch.dispose()
  }
}

async function open(dialect: TestDialect): Promise<Kept> {
  const scratch = await createScratchDatabase(dialect === 'postgres' ? POSTGRES_URL : undefined, 'keel_test')
  try {
    return { scratch, fresh: await fingerprint(scratch) }
  } catch (error) {
    await scratch.dispose()
    throw error
  }
}

/** Empties the database as initdb left it; false when it cannot be shown to be so (then it is not reused). */
async function emptied(kept: Kept): Promise<boolean> {
  try {
    // Alone: a text of several statements runs as one transaction block, which DISCARD ALL refuses.
    await kept.scratch.conn.exec('DISCARD ALL')
    // A session the case left open would fail the fingerprint anyway: give up before EMPTY waits on its locks.
    const [others] = await kept.scratch.conn.query<{ n: number }>(OTHER_SESSIONS)
    if (others === undefined || others.n > 0) return false
    await kept.scratch.conn.exec(EMPTY)
    return (await fingerprint(kept.scratch)) === kept.fresh
  } catch {
    return false
  }
}

const OTHER_SESSIONS = `SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`

// DISCARD ALL first: it ends a transaction a case left open (it cannot run inside one, so that fails and the database
// goes), drops temporary tables, resets settings and frees advisory locks. lock_timeout: a session the case left open
// elsewhere and holding a lock fails the drop instead of hanging it. public is made as initdb makes it in 15+.
const EMPTY = `
SET lock_timeout = '10s';
DO $$
DECLARE s name;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
COMMENT ON SCHEMA public IS 'standard public schema';
GRANT USAGE ON SCHEMA public TO PUBLIC;
RESET ALL;
`

/**
 * What a new database and an emptied one must agree on: the session's settings, no other client's session in it (one a
 * case left open may hold locks, Keel's advisory runner lock among them, or a transaction: DISCARD ALL reaches only
 * this session), the schemas with their owners, privileges and comments, and everything made by a user (oid 16384 and
 * up) that lives outside any schema, or inside one (nothing, once emptied).
 */
const FINGERPRINT = `
SELECT json_build_object(
  'schemas', (SELECT json_agg(json_build_array(nspname, nspowner::regrole::text, nspacl::text,
      obj_description(oid, 'pg_namespace')) ORDER BY nspname) FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'),
  'session', (SELECT json_agg(json_build_array(name, setting) ORDER BY name) FROM pg_settings WHERE source = 'session'),
  'others', (SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'),
  'extensions', (SELECT json_agg(extname ORDER BY extname) FROM pg_extension),
  'database', (SELECT json_build_array(datacl::text, shobj_description(oid, 'pg_database')) FROM pg_database
    WHERE datname = current_database()),
  'settings', (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
    WHERE d.datname = current_database()),
  'made', (SELECT json_build_array(
    (SELECT count(*) FROM pg_class WHERE oid >= 16384), (SELECT count(*) FROM pg_type WHERE oid >= 16384),
    (SELECT count(*) FROM pg_proc WHERE oid >= 16384), (SELECT count(*) FROM pg_event_trigger),
    (SELECT count(*) FROM pg_foreign_data_wrapper), (SELECT count(*) FROM pg_foreign_server),
    (SELECT count(*) FROM pg_publication), (SELECT count(*) FROM pg_cast WHERE oid >= 16384),
    (SELECT count(*) FROM pg_language WHERE oid >= 16384), (SELECT count(*) FROM pg_am WHERE oid >= 16384),
    (SELECT count(*) FROM pg_largeobject_metadata), (SELECT count(*) FROM pg_default_acl),
    (SELECT count(*) FROM pg_collation WHERE oid >= 16384), (SELECT count(*) FROM pg_operator WHERE oid >= 16384)))
)::text AS fingerprint`

async function fingerprint(scratch: ScratchDatabase): Promise<string> {
  const [row] = await scratch.conn.query<{ fingerprint: string }>(FINGERPRINT)
  if (row === undefined) throw new Error('no fingerprint row')
  return row.fingerprint
}
