import type { RunnerHooks } from '../../runner.js'
import { advisoryLock } from './advisory-lock.js'
import { postgresBuildProgress } from './build-progress.js'
import { postgresJournal } from './journal-sql.js'
import { waitsBesideWriters, withPatientLockTimeout } from './patient-lock.js'

/** SQLSTATEs worth retrying after a pause: lock_not_available (lock_timeout) and deadlock_detected. */
const RETRYABLE = new Set(['55P03', '40P01'])

/** SQLSTATEs of "it already exists": duplicate table, object, column, schema, function. */
const ALREADY_EXISTS = new Set(['42P07', '42710', '42701', '42P06', '42723'])

const sqlstate = (error: unknown): string => String((error as { code?: unknown } | undefined)?.code)

/**
 * A server error (it has a severity and a SQLSTATE) after which the session lives on: not a lost connection
 * (class 08), the server shutting down or ending the session (57P01-57P05, 25P03 idle_in_transaction_session_timeout,
 * 25P04 transaction_timeout), nor a cancel (57014: a statement timeout, which would only cost its time again, or a
 * person's pg_cancel_backend, which must stop the migration, not see it run again).
 */
function isStatementError(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown }
  if (typeof severity !== 'string' || typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false
  return !code.startsWith('08') && !code.startsWith('57') && code !== '25P03' && code !== '25P04'
}

/**
 * `backend_flush_after = 256kB` for the migration's session, unless the server (or the database, or the role) sets
 * one: PostgreSQL's own default for the checkpointer, as each backfill batch sets it (migrate/backfill/batch-settings.ts).
 * A migration's scans dirty pages that its backend then writes out itself: a VALIDATE CONSTRAINT after a backfill
 * sets the hint bits of every row the backfill wrote, a data migration's UPDATE rewrites rows. With the server's
 * default (0) those writes wait in the OS cache until the next checkpoint's fsync flushes them all at once, and the
 * application's commits, whose WAL fsync queues behind it on the same disk, stall meanwhile. With it, the kernel
 * writes them out as the statement goes. Measured on a private PostgreSQL 15 (shared_buffers 128 MB), a VALIDATE of
 * a NOT NULL check over 4M freshly backfilled rows, then a CHECKPOINT (two runs each): the VALIDATE's backend wrote
 * ~57,000 pages either way; without the setting the OS held 476 MB more dirty memory after it and the checkpoint's
 * fsyncs took 0.73 and 0.72 s, with it 0 MB and 0.07 and 0.08 s. A SELECT, not a SET: a value the server's
 * configuration (or the database's, or the role's) chose stays.
 */
const FLUSH_AS_IT_GOES =
  "SELECT set_config('backend_flush_after', '256kB', false) WHERE current_setting('backend_flush_after') = '0'"

let parseSqlModule: Promise<typeof import('../parse-sql.js')> | undefined

/** The migration runner's PostgreSQL half (PGlite shares it; its exclusive connection skips lock and orphans). */
export const postgresRunner: RunnerHooks = {
  lock: advisoryLock,
  journal: postgresJournal,
  async orphanSessions(conn, prefix) {
    const rows = await conn.query<{ pid: number; application_name: string; state: string; query: string }>(
      `select pid, application_name, state, left(query, 200) as query from pg_catalog.pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()
          and application_name like $1 and state is not null and state <> 'idle'`,
      [`${prefix} %`],
    )
    return rows.map((r) => ({
      pid: Number(r.pid),
      applicationName: r.application_name,
      state: r.state,
      query: r.query,
    }))
  },
  endOrphanHint: (orphan) =>
    `That runner is gone but its statement still runs. Wait for it, or end it with select pg_terminate_backend(${orphan.pid}).`,
  async parseStatements(text, file) {
    // Loaded on first use: the parser's WebAssembly is a noticeable part of the cold start of commands
    // that never parse (`keel status`). Imported once: an import() of a loaded module still costs ~25 us, 25 ms
    // of `keel migrate` at 1,000 pending migrations.
    parseSqlModule ??= import('../parse-sql.js')
    const { parseSql } = await parseSqlModule
    return parseSql(text, file)
  },
  isTransactionControl: (statement) => statement.kind === 'TransactionStmt',
  // A concurrent build or drop, which PostgreSQL refuses in a transaction block.
  runsApart: (step) => !step.transactional && /\bconcurrently\b/i.test(step.sql),
  // The runner commits before a VALIDATE CONSTRAINT in any migration (prepare-statements.ts: isConstraintValidation),
  // whatever the step says of itself (a contract's key move marks its validations transactional).
  commitsAlone: (step) => !step.transactional || /\bVALIDATE\s+CONSTRAINT\b/i.test(step.sql),
  // A DDL that waits for a lock sits in the lock queue, and every writer that comes after it waits behind it:
  // one try waits at most this long, then gives way and is retried (migrate/lock-retry.ts). The benchmark's
  // goal is a writer stall of at most 100 ms, and a queued writer waits out the whole try: at 100ms the stall
  // behind a long reader measured 103-104 ms, at 50ms it is half the goal.
  defaultLockTimeout: '50ms',
  // The values are restricted to digits and a unit by the caller, so quoting them is safe.
  sessionSetup: (lockTimeout, statementTimeout) =>
    `RESET ALL; SET lock_timeout = '${lockTimeout.trim()}'; SET statement_timeout = '${statementTimeout.trim()}'; ${FLUSH_AS_IT_GOES}`,
  isRetryable: (error) => RETRYABLE.has(sqlstate(error)),
  // SQLSTATE 25001, active_sql_transaction: "REINDEX TABLE cannot run inside a transaction block".
  isRefusedInTransaction: (error) => sqlstate(error) === '25001',
  isStatementError,
  async inTransaction(conn) {
    // SAVEPOINT fails exactly when no transaction block is open (SQLSTATE 25P01, no_active_sql_transaction).
    try {
      await conn.exec('SAVEPOINT keel_probe')
    } catch (error) {
      if (sqlstate(error) === '25P01') return false
      throw error
    }
    await conn.exec('RELEASE SAVEPOINT keel_probe')
    return true
  },
  // SQLSTATE 42601, syntax_error.
  isSyntaxError: (error) => sqlstate(error) === '42601',
  alreadyExists: (error) => ALREADY_EXISTS.has(sqlstate(error)),
  // Loaded on first use, as the parser is: only a statement that runs alone or a refused lock asks.
  async resume(conn, statement, interrupted, row) {
    const { postgresResume } = await import('./resume.js')
    return postgresResume(conn, statement, interrupted, row)
  },
  async effectOf(conn, statement) {
    const { statementEffect } = await import('./statement-effects.js')
    return statementEffect(conn, statement)
  },
  // SQLSTATE 55P03, lock_not_available: the statement gave up waiting (lock_timeout).
  async lockBlockers(conn, statement, code) {
    if (code !== '55P03') return []
    const { findLockBlockers } = await import('./lock-blockers.js')
    return findLockBlockers(conn, statement)
  },
  async cancelBlockers(conn, statement, blockers) {
    const { cancelAutovacuumBlockers } = await import('./autovacuum-blockers.js')
    return cancelAutovacuumBlockers(conn, statement, blockers)
  },
  patientLock: { waitsBesideWriters, withPatientLockTimeout },
  buildProgress: postgresBuildProgress,
  backfill: {
    async usableKey(conn, table) {
      const { usableKey } = await import('./backfill-key.js')
      return usableKey(conn, table)
    },
    async estimate(conn, table) {
      const { estimate } = await import('./backfill-key.js')
      return estimate(conn, table)
    },
  },
  async wipe(conn) {
    const { wipePostgres } = await import('./wipe.js')
    return wipePostgres(conn)
  },
}
