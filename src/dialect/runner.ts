import type { Connection } from '../db/connection.js'
import type { ParsedStatement } from '../lint/sql/parse.js'

/** Who holds the runner lock: a session of another runner, as the server (or lock row) names it. */
export interface LockHolder {
  readonly pid: number
  readonly applicationName: string
  /** When the holder took the lock or opened its lock session. */
  readonly since: Date | undefined
}

/** A session of an earlier runner that is still working although that runner lost the lock (it died). */
export interface OrphanSession {
  readonly pid: number
  readonly applicationName: string
  readonly state: string
  readonly query: string
}

/**
 * The runner lock of a dialect, taken on a session of its own and polled by migrate/lock.ts (never a
 * blocking wait: see there). PostgreSQL: a session advisory lock; SQLite: a lock row.
 */
export interface RunnerLockHooks {
  /** Tries once; true when this session now holds the lock. */
  tryLock(session: Connection, holderName: string): Promise<boolean>
  /** Releases the lock (errors ignored by the caller: a closed session releases it too). */
  unlock(session: Connection): Promise<void>
  /** Who holds the lock, when someone does and the dialect can tell. */
  holder(session: Connection): Promise<LockHolder | undefined>
  /** The lock session's id in the server (a backend pid), for messages and tests. */
  sessionId(session: Connection): Promise<number | undefined>
}

/** The SQL of the journal table `keel_migrations` that differs between dialects. */
export interface JournalHooks {
  /** The journal table's name as SQL: namespace-qualified where the dialect has namespaces. */
  qualify(namespace: string, table: string): string
  exists(conn: Connection, namespace: string, table: string): Promise<boolean>
  /**
   * Creates the namespace (where there are any) and the table, when missing. `knownMissing`: the caller saw under the
   * runner lock, which every writer of the journal holds, that the table does not exist, so it is not asked again.
   */
  ensure(conn: Connection, namespace: string, table: string, knownMissing?: boolean): Promise<void>
  /**
   * Where the dialect's DDL rolls back with its transaction (PostgreSQL): `create`, the text that creates the namespace
   * (where missing) and the table, and `exists`, a query whose one row's column `ok` says whether the table exists. A
   * first `keel migrate` sends `create` in a transaction while it checks its migrations, and commits it with `exists`
   * once the check has passed (apply-journal-early.ts). Absent where DDL commits at once (MySQL).
   */
  undoableCreation?(namespace: string, table: string): { readonly create: string; readonly exists: string }
  /** The SQL expression of the current time, as it is when a row is written. */
  readonly now: string
  /** A bind parameter (`$9`) as the JSON column's type. */
  json(parameter: string): string
  /**
   * For dialects without `UPDATE ... RETURNING` (MySQL, MariaDB): a query, run right after an UPDATE on the
   * same session, whose column `n` is how many rows that UPDATE matched.
   */
  readonly rowCount?: string
  /**
   * A query whose one row's one column, `rows`, is the text of a JSON array of `columns` of every row of `table`, in
   * version order: one value the client parses at once, where a driver that builds a thousand rows field by field
   * (code a short-lived process runs unoptimised) costs `keel status` more than the query does. Without it, the rows
   * are read as rows.
   */
  listAsJson?(table: string, columns: string): string
  /**
   * A query giving, in one statement (one snapshot), `digest`: a digest of every row's `columns` in version order,
   * computed by the server, that changes with any value of any row; and `rows`: the text of listAsJson's array of
   * `jsonColumns`, or null when the digest equals the text of parameter $1. `keel status` sends the digest it recorded
   * (migrate/status-snapshot.ts): while the journal is the same, 64 characters come back instead of every row. Without
   * it (MySQL, SQLite) the journal is read whole.
   */
  listWithDigest?(table: string, columns: string, jsonColumns: string): string
  /**
   * The SQL expression of the whole milliseconds (an integer) from `since` (an SQL timestamp; by default when the
   * server received the text it is running, which every statement of one simple-query text shares: PostgreSQL's
   * statement_timestamp()) to now. Its presence lets a transactional unit travel in one text with its journal row
   * and COMMIT, and consecutive migrations share a text, each in its own transaction (migrate/run-transaction-unit.ts,
   * migrate/apply-sql-group.ts): the server then times each row. Absent (MySQL, whose DDL commits by itself, and
   * SQLite): the row and COMMIT follow in a text of their own.
   */
  elapsedMs?(since?: string): string
}

/**
 * What the catalog says of a statement that ran alone (outside a transaction), asked when the previous
 * runner stopped with it next: `done` whether its effect is there (`object` says what was looked at), or
 * `repeatable` when running it again is harmless whatever happened (IF NOT EXISTS, OR REPLACE).
 */
export type StatementEffectVerdict =
  | { readonly done: boolean; readonly object: string }
  | { readonly repeatable: string }

/**
 * What the live database says about one statement's effect: the object it creates (or drops) and
 * whether that object is there now. Used by `keel resolve` to show a person what was applied, and by
 * the runner to resume a statement that was interrupted.
 */
export interface StatementEffect {
  /** `index public.users_email_idx`, `column public.users.nickname`. */
  readonly object: string
  /** What the statement leaves behind when it has run. */
  readonly expected: 'present' | 'absent'
  /** `invalid`: an index whose concurrent build failed or was interrupted (PostgreSQL's pg_index.indisvalid = false). */
  readonly actual: 'present' | 'absent' | 'invalid'
  /** The namespace the object was found in (indexes). */
  readonly schema?: string
  /** The index's name when the server chose it (a CREATE INDEX without a name). */
  readonly name?: string
  /**
   * Several INVALID indexes fit a CREATE INDEX without a name, and Keel cannot tell which one its
   * failed build left: each is named here, and none is dropped.
   */
  readonly suspects?: readonly string[]
}

/** What to do with a statement that runs alone, given what the catalog says. */
export type ResumeVerdict =
  /** Run it. `notice`: why running it (again) is safe, said when it may have run before. */
  | { readonly kind: 'run'; readonly notice?: string }
  /** The statement's effect is already there: it completed just before the previous runner stopped. */
  | { readonly kind: 'done'; readonly reason: string }
  /** A concurrent index build failed or was interrupted and left an INVALID index: drop it, then build again. */
  | { readonly kind: 'rebuild'; readonly reason: string; readonly dropSql: string }
  /** A DETACH PARTITION ... CONCURRENTLY stopped between its transactions: finish it instead. */
  | { readonly kind: 'finish'; readonly reason: string; readonly sql: string }

/**
 * A dialect's answer for a statement that runs alone: a {@link ResumeVerdict}, or that the catalog cannot
 * tell whether it took effect (the runner stops and points at `keel resolve`), or that several leftovers
 * fit it and none is picked (the runner fails the statement, naming them).
 */
export type ResumeAnswer =
  | ResumeVerdict
  | { readonly kind: 'cannot-tell' }
  | { readonly kind: 'ambiguous'; readonly suspects: readonly string[] }

/** The journal row of the migration a statement belongs to, for a dialect that dates catalog changes by it. */
export interface JournalRowRef {
  /** The journal's own session. */
  readonly conn: Connection
  /** The journal table's name as SQL. */
  readonly table: string
  readonly version: string
}

/** The sessions that held a lock a statement waited for, as the server shows them. */
export interface LockBlocker {
  readonly pid: number
  readonly applicationName: string
  readonly state: string
  /** How long its transaction has been open, in seconds; undefined outside a transaction. */
  readonly transactionSeconds: number | undefined
  /** The start of its current (or last) query. */
  readonly query: string
  /** The server's kind of session (e.g. `autovacuum worker`), where the dialect knows it. */
  readonly backendType?: string
}

/** A lock blocker the runner tried to cancel because the server itself would have (see RunnerHooks.cancelBlockers). */
export interface BlockerCancel {
  readonly blocker: LockBlocker
  /** The server signalled it; false when it had ended meanwhile or the role may not cancel it. */
  readonly cancelled: boolean
  /** Why it was cancelled, in the dialect's words (the server itself would have cancelled it for a waiter). */
  readonly reason?: string
  /** The server's refusal (a missing privilege) and how to grant it, when it refused. */
  readonly refused?: string
}

/** A table an UPDATE of a backfill targets, as the statement names it. */
export interface BackfillTable {
  readonly schema: string | undefined
  readonly name: string
}

/** The catalog half of a backfill walked in key ranges (migrate/backfill/walk-batches.ts). */
export interface BackfillHooks {
  /** The columns to walk the table by (its primary key, or a unique key over NOT NULL columns); throws BACKFILL_NO_KEY. */
  usableKey(conn: Connection, table: BackfillTable): Promise<readonly string[]>
  /** The server's row estimate of the table, for an ETA; undefined when it has none. */
  estimate(conn: Connection, table: BackfillTable): Promise<number | undefined>
}

/**
 * Statements whose lock waits hold up no writer (PostgreSQL's concurrent builds: SHARE UPDATE EXCLUSIVE, then a
 * wait for older transactions), which the short per-try lock timeout would only hurt: they wait up to the lock
 * deadline instead.
 */
export interface PatientLockHooks {
  /** Whether a statement of a migration file is one. */
  waitsBesideWriters(statement: Pick<ParsedStatement, 'node'>): boolean
  /** Runs `fn` with the session's lock timeout stretched to `deadlineMs`, and puts the session's own back afterwards. */
  withPatientLockTimeout<T>(conn: Connection, deadlineMs: number, fn: () => Promise<T>): Promise<T>
}

/**
 * Where an index build running on another session stands, as the server reports it (PostgreSQL:
 * pg_stat_progress_create_index). `done`/`total` count `unit`s of the current phase, when it has any.
 */
export interface BuildProgress {
  /** The index, schema-qualified; empty while the server has not named it yet. */
  readonly index: string
  readonly table: string
  /** The server's words: `building index: scanning table`, `waiting for writers before build`, ... */
  readonly phase: string
  readonly done?: number
  readonly total?: number
  readonly unit?: 'blocks' | 'tuples' | 'transactions' | 'partitions'
}

/** How a dialect reports an index build in progress, read from a second session (the runner lock's). */
export interface BuildProgressHooks {
  /** The id (backend pid) of the session that will run the build. */
  sessionId(conn: Connection): Promise<number>
  /** Where the build on session `pid` stands; undefined when that session builds nothing (yet, or any more). */
  read(monitor: Connection, pid: number): Promise<BuildProgress | undefined>
}

/**
 * What the migration runner asks a dialect: its lock, its journal SQL, its session settings and error
 * codes, how a file splits into statements, and how to wipe a database. Implementations load lazily
 * where they are heavy (the SQL parser), so that `keel status` starts without them.
 */
export interface RunnerHooks {
  readonly lock: RunnerLockHooks
  readonly journal: JournalHooks
  /** Sessions of earlier runners (application_name `prefix ...`) still running a statement. */
  orphanSessions(conn: Connection, prefix: string): Promise<readonly OrphanSession[]>
  /** How an orphan can be ended by hand, for the hint of a timeout. */
  endOrphanHint(orphan: OrphanSession): string
  /** Splits a migration file into statements with line numbers (and the parse tree where the dialect has one). */
  parseStatements(text: string, file: string): Promise<readonly ParsedStatement[]>
  /**
   * Whether a generated step outside a transaction must be a migration of its own (`keel generate` splits the plan
   * around it): the server refuses it in a transaction block, so the runner would run it alone and commit what came
   * before, and a failure after it would leave the migration half applied (PostgreSQL's CONCURRENTLY builds).
   * Absent: no step is; steps outside a transaction stay with their neighbours (SQLite's table rebuild, MySQL's DDL).
   */
  runsApart?(step: { readonly sql: string; readonly transactional: boolean }): boolean
  /**
   * Whether the runner commits a generated step on its own in any migration, transactional or not (PostgreSQL's
   * VALIDATE CONSTRAINT and ALTER TYPE ... ADD VALUE), so that `keel generate` may put it beside the steps before or
   * after it, whichever way those run. Absent: the steps outside a transaction.
   */
  commitsAlone?(step: { readonly sql: string; readonly transactional: boolean }): boolean
  /** Whether a statement is BEGIN, COMMIT, ROLLBACK or the like, which migration files may not hold. */
  isTransactionControl(statement: ParsedStatement): boolean
  /**
   * Which of a partial migration's committed statements a resume runs again on its new session before the rest
   * (MySQL's `SET sql_mode = ...`), or a KeelError when the rest relies on session state that cannot be made again
   * without running something twice. Absent: PostgreSQL's reading of its parse tree (`SET`, not `SET LOCAL`).
   */
  sessionReplay?<S extends ParsedStatement>(
    committed: readonly S[],
    rest: readonly S[],
    migration: { readonly id: string; readonly version: string },
  ): readonly S[]
  /**
   * The `lock_timeout` (or busy timeout) of a migration when neither the project nor the migration sets one;
   * 5s when unset.
   */
  readonly defaultLockTimeout?: string
  /** The settings one migration runs under: the previous migration's cleared, then the lock and statement timeouts. */
  sessionSetup(lockTimeout: string, statementTimeout: string): string
  /** Whether an error is one worth retrying after a pause (a lock timeout, a deadlock, a busy database). */
  isRetryable(error: unknown): boolean
  /** Whether an error is the server refusing a statement inside a transaction block. */
  isRefusedInTransaction(error: unknown): boolean
  /**
   * Whether an error is the server refusing one statement while the session lives on, so that the statements of a
   * failed transaction may run again one by one to find the one that fails. Not a lost connection, nor the server
   * ending the session (a shutdown, an idle-in-transaction timeout), nor a cancel (a statement timeout, a person's
   * cancel), which must stop the migration rather than see it run again. Absent: never (the failure then names the
   * transaction's lines).
   */
  isStatementError?(error: unknown): boolean
  /**
   * Whether a connection a caller handed to the runner is inside a transaction of the caller's, where the runner's
   * own transactions nest as savepoints. Absent: assumed inside (savepoints work in both cases; BEGIN would not).
   */
  inTransaction?(conn: Connection): Promise<boolean>
  /** Whether a driver error is the server refusing the SQL's syntax (`error[SQL_SYNTAX]` rather than SQL_ERROR). */
  isSyntaxError?(error: unknown): boolean
  /**
   * Whether a driver error says that what a statement creates already exists: a first `keel migrate` that fails so
   * is nearly always a database built by `keel push` or another tool, and its hint points at `keel baseline`.
   */
  alreadyExists?(error: unknown): boolean
  /**
   * For dialects without a parse tree (MySQL): whether a statement that ran alone took effect, from the
   * catalog; undefined when it cannot tell (the runner stops, and `keel resolve` decides). PostgreSQL
   * decides in migrate/resume.ts from libpg_query's tree instead.
   */
  statementEffect?(conn: Connection, sql: string): Promise<StatementEffectVerdict | undefined>
  /**
   * For dialects with a parse tree (PostgreSQL): how to run a statement that runs alone, from the catalog.
   * `interrupted`: the previous runner stopped with it next. Without this hook (nor `statementEffect`), a
   * statement that runs alone always runs, and an interrupted one stops the runner.
   */
  resume?(
    conn: Connection,
    statement: ParsedStatement,
    interrupted: boolean,
    row: JournalRowRef | undefined,
  ): Promise<ResumeAnswer>
  /** What the catalog says of a statement's effect, for `keel resolve`; undefined when it cannot tell. */
  effectOf?(conn: Connection, statement: ParsedStatement): Promise<StatementEffect | undefined>
  /**
   * Why `keel resolve` cannot judge statements from the catalog on this dialect, said instead of a
   * "cannot tell" on each statement. Undefined where `effectOf` judges.
   */
  readonly effectsUnknown?: string
  /**
   * The sessions holding the locks a statement gave up waiting for, when `code` (the driver error's SQLSTATE)
   * or `error` itself (MySQL's errno: 1205 shares SQLSTATE HY000 with most errors) says it gave up on a lock;
   * empty when none is left or the server cannot say.
   */
  lockBlockers?(
    conn: Connection,
    statement: ParsedStatement,
    code: string | undefined,
    error?: unknown,
  ): Promise<readonly LockBlocker[]>
  /**
   * Cancels the blockers the server itself would cancel for a lock waiter, had the waiter waited long enough (on
   * PostgreSQL a non-wraparound autovacuum, which it cancels only after deadlock_timeout, longer than one try's
   * lock_timeout); returns what it tried. Absent where no blocker is ever cancelled.
   */
  cancelBlockers?(
    conn: Connection,
    statement: Pick<ParsedStatement, 'kind'>,
    blockers: readonly LockBlocker[],
  ): Promise<readonly BlockerCancel[]>
  /** Statements that wait beside writers up to the lock deadline; absent where every statement waits one try's timeout. */
  readonly patientLock?: PatientLockHooks
  /** Progress of a concurrent index build, polled from a second session while it runs (PostgreSQL). */
  readonly buildProgress?: BuildProgressHooks
  /** Where a `-- keel:phase backfill` UPDATE can be walked in key ranges (PostgreSQL). */
  readonly backfill?: BackfillHooks
  /** Drops every object of the database (the journal included); returns what it dropped, for the report. */
  wipe(conn: Connection): Promise<readonly string[]>
}
