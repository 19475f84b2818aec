/**
 * The databases the migrations suites (lifecycle.ts, processes.ts, crash.ts, tamper.ts) run on, each as a profile:
 * the SQL its fixtures are written in and the facts its expectations follow from. Everything a suite knows of a
 * dialect is here, in one place per dialect; a suite reads the profile and never asks which dialect it runs on.
 *
 * Capabilities come from the dialect's runtime (`transactionalDdl`); the one fact Keel's runtime does not declare,
 * because no shared code of Keel decides anything by it, is whether the planner builds an index concurrently, outside
 * a transaction (PostgreSQL's CREATE INDEX CONCURRENTLY; SQLite has no such build: its CREATE INDEX holds the file's
 * write lock in the migration's transaction like every other statement). It is declared here beside the SQL that
 * shows it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import type { Capabilities } from '../../../src/dialect/dialect.js'
import { type DialectName, loadRuntime } from '../../../src/dialect/runtimes.js'
import { withConnection, withPgliteDir } from '../../integration/migrate/project.js'
import { DIALECTS, withDatabase } from '../databases.js'

/** The SQL a suite's fixtures differ in between dialects. */
export interface SuiteSql {
  /** The lifecycle's declared schemas: an identity key and an index, then a column, a second index and a child table. */
  readonly lifecycleV1: string
  readonly lifecycleV2: string
  /** A query (no semicolon) that spends about `seconds` of the database's time and changes nothing. */
  sleepQuery(seconds: number): string
  /** An INSERT into `table` of `columns` (SQL expressions of `g`) for each `g` from 1 to `rows`. */
  insertSeries(table: string, columns: string, rows: number): string
  /** CREATE INDEX as this dialect builds one beside live writers (CONCURRENTLY where it has that). */
  onlineIndex(name: string, table: string, column: string): string
  /** A query of the names (column `name`) of the indexes that are built and usable, in name order. */
  readonly usableIndexes: string
  /** A query whose one row's `n` says whether table `$1` exists (1) or not (0). */
  readonly tableExists: string
  /** How the database words an INSERT of two values into a one-column table `f`. */
  readonly tooManyValues: string
  /** How a syntax error at `tabel` (in `create tabel h ...`) is worded. */
  readonly syntaxErrorAtTabel: string
}

export interface SuiteDialect {
  readonly name: DialectName
  readonly capabilities: Capabilities
  /** The planner builds indexes outside a transaction, as a no-transaction migration of their own. */
  readonly concurrentIndexBuilds: boolean
  /**
   * How many `keel migrate` processes the concurrency suite starts at once on one database: 8 on a server, 4 on a
   * file, 2 on PGlite, where each waits to open the directory and then starts its own PostgreSQL in WebAssembly
   * (seconds of CPU each: the runs before the suite was shared had these numbers).
   */
  readonly concurrentRunners: number
  /** `keel check` is cheap enough to run after every step (PGlite's scratch databases cost seconds each). */
  readonly cheapCheck: boolean
  readonly sql: SuiteSql
  /** The namespace of Keel's journal table (`new Journal(conn, namespace)`). */
  readonly journalNamespace: string
  /**
   * Whether the process `pid` (a spawned `keel`) holds the runner lock, asked on a connection or file of the test's
   * own: the dialect's own lock hook names the holder (PostgreSQL's application name and SQLite's lock row carry the
   * process id), and on PGlite the directory's lock file does.
   */
  holdsRunnerLock(url: string, pid: number): Promise<boolean>
  /**
   * Whether a runner's session is running a statement whose text is LIKE `pattern`, where the database shows its
   * sessions' statements (PostgreSQL's pg_stat_activity). Absent: it cannot be seen.
   */
  runningStatement?(url: string, pattern: string): Promise<boolean>
  /** Whether anyone holds the runner lock now (asked when every runner is done: a lock left behind is a bug). */
  runnerLockHeld(url: string): Promise<boolean>
  /**
   * What a runner SIGKILLed inside a migration's transaction leaves, checked right after the kill; and that the
   * database is whole again after the next runner. Absent: nothing to see beyond the journal and the data.
   */
  readonly afterKill?: {
    killedInTransaction(url: string): void
    intactAfterRecovery(url: string): Promise<void>
  }
}

const namesProcess = (applicationName: string, pid: number) => new RegExp(`/${pid}(\\D|$)`).test(applicationName)

/** The dialect's own lock hook, asked on a connection of the test's own. */
async function lockHolder(url: string) {
  return withConnection(url, async (conn: Connection) => {
    const runtime = await loadRuntime(conn.dialect)
    return runtime.runner.lock.holder(conn).catch(() => undefined)
  })
}

const RECURSIVE = (rows: number) => `WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c WHERE g < ${rows})`

const postgresSql: SuiteSql = {
  lifecycleV1: `create table users (id bigint generated always as identity primary key, email text not null);
create index users_email_idx on users (email);
`,
  lifecycleV2: `create table users (id bigint generated always as identity primary key, email text not null, name text);
create index users_email_idx on users (email);
create index users_name_idx on users (name);
create table posts (id int primary key, author_id bigint not null references users (id), title text not null);
`,
  sleepQuery: (seconds) => `select pg_sleep(${seconds})`,
  insertSeries: (table, columns, rows) => `insert into ${table} select ${columns} from generate_series(1, ${rows}) g;`,
  onlineIndex: (name, table, column) => `create index concurrently ${name} on ${table} (${column});`,
  usableIndexes:
    "select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and i.indisvalid and i.indisready and not i.indisprimary order by 1",
  tableExists: 'select (to_regclass($1) is not null)::int as n',
  tooManyValues: 'INSERT has more expressions than target columns',
  syntaxErrorAtTabel: 'syntax error at or near "tabel"',
}

const sqliteSql: SuiteSql = {
  lifecycleV1: `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL);
CREATE INDEX users_email_idx ON users (email);
`,
  lifecycleV2: `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, name TEXT);
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL);
`,
  // Counting, not writing: the runner keeps SQLite's write lock without spilling pages to the file (about 4M rows a
  // second here), so a reader can still read the lock row while it runs.
  sleepQuery: (seconds) => `${RECURSIVE(Math.round(seconds * 4_000_000))} SELECT count(*) FROM c`,
  insertSeries: (table, columns, rows) => `${RECURSIVE(rows)} INSERT INTO ${table} SELECT ${columns} FROM c;`,
  onlineIndex: (name, table, column) => `CREATE INDEX ${name} ON ${table} (${column});`,
  usableIndexes: `SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1`,
  tableExists: `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = $1`,
  tooManyValues: 'table f has 1 columns but 2 values were supplied (SQLITE_ERROR)',
  syntaxErrorAtTabel: 'near "tabel": syntax error',
}

const postgres = (capabilities: Capabilities): SuiteDialect => ({
  name: 'postgres',
  capabilities,
  concurrentIndexBuilds: true,
  concurrentRunners: 8,
  cheapCheck: true,
  sql: postgresSql,
  journalNamespace: 'public',
  async holdsRunnerLock(url, pid) {
    const holder = await lockHolder(url)
    return holder !== undefined && namesProcess(holder.applicationName, pid)
  },
  runnerLockHeld: async (url) => (await lockHolder(url)) !== undefined,
  async runningStatement(url, pattern) {
    const rows = await withConnection(url, (conn) =>
      conn.query(
        `select 1 from pg_stat_activity where datname = current_database() and application_name like 'keel-run %'
            and query like $1 and state = 'active'`,
        [pattern],
      ),
    )
    return rows.length > 0
  },
})

/** The profile of a dialect by name, its capabilities read from its runtime. */
export async function suiteDialect(name: 'postgres' | 'pglite' | 'sqlite'): Promise<SuiteDialect> {
  const { capabilities } = await loadRuntime(name)
  if (name === 'postgres') return postgres(capabilities)
  if (name === 'pglite') {
    const lockFile = (url: string) => join(url.slice('pglite:'.length), 'keel.lock')
    const lockText = (url: string) => {
      try {
        return readFileSync(lockFile(url), 'utf8')
      } catch {
        return '' // not there, or released between two looks
      }
    }
    // One process at a time opens the directory: the test cannot look at a runner's statements while it has it.
    const { runningStatement: _cannotLook, ...server } = postgres(capabilities)
    return {
      ...server,
      name,
      concurrentRunners: 2,
      cheapCheck: false,
      // `keel migrate` opens the directory first for its lint ("keel lint"), then for its run: the runner's is the lock.
      holdsRunnerLock: async (url, pid) => {
        const text = lockText(url)
        return text.includes('keel-run migrate') && namesProcess(text, pid)
      },
      runnerLockHeld: async (url) => existsSync(lockFile(url)),
    }
  }
  return {
    name,
    capabilities,
    concurrentIndexBuilds: false,
    concurrentRunners: 4,
    cheapCheck: true,
    sql: sqliteSql,
    journalNamespace: 'main',
    async holdsRunnerLock(url, pid) {
      return (await lockHolder(url))?.pid === pid
    },
    // The lock row of a runner: taken over from dead runners and deleted by the one that took it.
    runnerLockHeld: async (url) =>
      (await withConnection(url, (conn) => conn.query('SELECT 1 FROM keel_lock').catch(() => []))).length > 0,
    afterKill: {
      // The killed transaction left its rollback journal (a hot journal): the next opener rolls it back.
      killedInTransaction: (url) => expect(existsSync(`${sqliteFile(url)}-journal`)).toBe(true),
      async intactAfterRecovery(url) {
        expect(await withConnection(url, (conn) => conn.query('PRAGMA integrity_check'))).toEqual([
          { integrity_check: 'ok' },
        ])
        expect(existsSync(`${sqliteFile(url)}-journal`)).toBe(false)
      },
    },
  }
}

const sqliteFile = (url: string) => url.slice('sqlite:'.length)

/** A database of one suite's test: its URL, alive for the duration of `fn`, then dropped or deleted. */
export type WithUrl = (fn: (url: string) => Promise<void>) => Promise<void>

/** A fresh SQLite file in a directory of its own, deleted afterwards. */
export async function withSqliteFile(fn: (url: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keel-sqlite-suite-'))
  try {
    await fn(`sqlite:${join(dir, 'app.db')}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The databases the migrations suites run on in every CI run, each with fresh databases per test: the system
 * PostgreSQL and PGlite (narrowed by DIALECTS=..., test/support/databases.ts) and SQLite files.
 */
export const SUITE_TARGETS: readonly { readonly name: 'postgres' | 'pglite' | 'sqlite'; readonly withUrl: WithUrl }[] =
  [
    ...DIALECTS.map((name) => ({
      name,
      withUrl:
        name === 'pglite'
          ? withPgliteDir
          : (fn: (url: string) => Promise<void>) => withDatabase('postgres', ({ url }) => fn(url)),
    })),
    { name: 'sqlite', withUrl: withSqliteFile },
  ]
