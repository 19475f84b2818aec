import { assertNever } from '../assert-never.js'
import type { Connection } from '../db/connection.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import type { BackfillProgress } from './backfill/run-backfill.js'
import { chainStatementHashes, committedStatementsProof } from './checksum.js'
import type { Migration } from './directory.js'
import type { Journal, JournalEntry, JournalWrite } from './journal.js'
import { lockFailureText, withLockRetries } from './lock-retry.js'
import type { MigrationModule } from './module-migration.js'
import {
  execStatement,
  groupStatements,
  isEnumValueAddition,
  isRefusedInTransaction,
  type PreparedStatement,
  StatementFailure,
  sessionSetup,
  unitStatements,
} from './prepare-statements.js'
import { resumeVerdict } from './resume.js'
import { type FailedTry, runTransactionUnit } from './run-transaction-unit.js'
import { SessionSetup } from './session-setup.js'
import type { IndexBuildEvent } from './watch-build.js'

/** What the runner reports while it works (the CLI turns these into progress lines). */
export interface RunnerEvents {
  readonly onStart?: (migration: Migration, direction: 'up' | 'down', resumeAt: number | undefined) => void
  readonly onDone?: (migration: Migration, direction: 'up' | 'down', durationMs: number) => void
  /** Something a person should know: a retry after a lock timeout, an invalid index rebuilt. */
  readonly onNotice?: (text: string) => void
  /** A batch of a backfill phase committed (migrate/backfill/). */
  readonly onBackfill?: (progress: BackfillProgress) => void
  /** A concurrent index build that runs longer than a second: where it stands, about every second (watch-build.ts). */
  readonly onIndexBuild?: (progress: IndexBuildEvent) => void
}

/** Everything applying one migration needs. */
export interface ApplyContext {
  readonly conn: Connection
  readonly journal: Journal
  readonly batch: number
  readonly lockTimeout: string
  readonly statementTimeout: string
  /** How often a unit that hit lock_timeout (or a deadlock) is retried at most (Infinity: until the deadline). */
  readonly lockRetries: number
  /** How long a unit that hit lock_timeout is retried (see lock-retry.ts); a migration's directive overrides it. */
  readonly lockDeadlineMs: number
  /**
   * The migration names its own lock_timeout (`-- keel:lock-timeout`): its author chose how long any of its
   * statements may wait, concurrent builds included, so the runner does not stretch it to the deadline.
   */
  readonly ownLockTimeout?: boolean
  readonly events: RunnerEvents
  /**
   * Whether a transactional unit may go to the server as one text with its own BEGIN and COMMIT (see
   * run-transaction-unit.ts). Not when the connection is inside a caller's transaction, where the
   * runner's transactions must be savepoints.
   */
  readonly batched?: boolean
  /**
   * A second session on the same database (the runner lock's), idle while the migrations run: index-build
   * progress is read on it while `conn` builds. Absent on an exclusive connection (PGlite).
   */
  readonly monitor?: Connection
  /** Session setups that already applied on `conn` in this run (mutable: the run's migrations share it). */
  readonly appliedSetups?: Set<string>
  /** The run was asked to stop (MigrateOptions.signal): a backfill stops between its batches. */
  readonly signal?: AbortSignal
}

/**
 * Applies a SQL migration's up, from the start or (given its journal row) resuming after the
 * statements already committed. Each transactional unit commits together with its journal progress,
 * so the journal never claims more or less than the database holds; a statement that runs alone is
 * journaled right after it commits, and the row exists before it starts, so an interruption shows
 * as `partial` and the resume asks the catalog about that one statement (see resume.ts).
 *
 * Why nothing runs twice, kill point by kill point (the runner dies; its server session may not):
 * - before a unit starts: the journal says where the migration stands, and the resume starts there;
 * - inside a transactional unit (the statements sent, maybe still running on the server): its journal
 *   progress is in the same transaction. Where the row and COMMIT travel with the statements (PostgreSQL, a
 *   unit that writes the migration's first row: see run-transaction-unit.ts), the orphaned session runs the
 *   text to its end and the unit commits whole with its row, or it stops at an error (or on finding its
 *   client gone) and rolls back whole; where the COMMIT is still to be sent, the session rolls back when
 *   it finds its client gone. The next runner waits for the session to end (session.ts) and reads the
 *   journal's count: the unit is recorded as done, or runs again from nothing;
 * - while a COMMIT travels: the statements and their journal progress commit together, or neither;
 * - during, or right after, a statement that runs alone: the journal lags by that one statement, and
 *   the catalog decides whether it took effect, or Keel stops (PARTIAL_MIGRATION) and a person does.
 */
export async function applySqlUp(
  runCtx: ApplyContext,
  migration: Migration,
  statements: readonly PreparedStatement[],
  resume: JournalEntry | undefined,
  /** How its first try went in a text shared with other migrations (apply-sql-group.ts), which announced it; it rolled back. */
  failedFirst?: FailedTry,
): Promise<void> {
  const ctx = withMigrationBudget(runCtx, migration)
  const started = performance.now()
  const priorMs = resume?.durationMs ?? 0
  let completed = resume?.completedStatements ?? 0
  let rowExists = resume !== undefined
  // A migration that failed in a shared text was announced with it (apply-sql-group.ts).
  if (failedFirst === undefined) ctx.events.onStart?.(migration, 'up', resume === undefined ? undefined : completed + 1)
  const setup = new SessionSetup(ctx.conn, setupFor(ctx, migration), ctx.appliedSetups)
  const grouping = { enumValuesInTransaction: await enumValuesInTransaction(ctx.conn, statements) }
  const units = groupStatements(statements.slice(completed), migration.directives.noTransaction, grouping)
  // Once per migration: each write then records its progress's proof in constant time (see checksum.ts).
  const chains = chainStatementHashes(statements.map((s) => s.hash))
  const write = (status: JournalEntry['status'], done: number): JournalWrite => ({
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    status,
    batch: ctx.batch,
    durationMs: priorMs + performance.now() - started,
    completedStatements: done,
    totalStatements: statements.length,
    statementHashes: committedStatementsProof(chains, done),
    error: undefined,
    failedStatement: undefined,
    origin: 'migrate',
  })
  if (completed > 0) await restoreSessionSettings(ctx, setup, migration, statements, completed)
  if (units.length === 0) {
    // An empty migration, or one whose last statement committed just before an interruption.
    await setup.apply()
    if (rowExists) await ctx.journal.update(write('applied', completed), completed)
    else await ctx.journal.insert(write('applied', completed))
  }
  // The previous runner stopped (rather than failed) with the first unit next; a person's `keel resolve`
  // is a decision, not an interruption.
  const interrupted = resume?.status === 'partial' && resume.origin !== 'resolve'
  for (const [i, unit] of units.entries()) {
    const done = completed + unitStatements(unit).length
    const status = i === units.length - 1 ? 'applied' : 'partial'
    const alone = async (statement: PreparedStatement, mayHaveRun: boolean) => {
      await setup.apply()
      if (!rowExists) {
        await ctx.journal.insert(write('partial', completed))
        rowExists = true
      }
      await withLockRetries(ctx, () => runAlone(ctx, statement, () => write(status, done), completed, mayHaveRun))
    }
    try {
      const [only] = unitStatements(unit)
      // The backfill runner loads only for a backfill phase's migration.
      const backfill =
        migration.directives.phase === 'backfill' && unitStatements(unit).length === 1 && only
          ? await import('./backfill/run-backfill.js')
          : undefined
      if (backfill !== undefined && only !== undefined && backfill.backfillTable(only)) {
        // Cut into primary-key batches, each committed with its progress (migrate/backfill/run-backfill.ts).
        const journal = {
          rowExists,
          completed,
          entry: (end: boolean) => write(end ? status : 'partial', end ? done : completed),
        }
        await backfill.runBackfill(ctx, migration, only, journal, setup)
      } else if (unit.kind === 'transaction') {
        const journal = { rowExists, completed, entry: () => write(status, done) }
        try {
          await runTransactionUnit(ctx, unit.statements, journal, setup, i === 0 ? failedFirst : undefined)
        } catch (error) {
          const [only] = unit.statements
          if (
            !migration.directives.noTransaction ||
            unit.statements.length !== 1 ||
            !isRefusedInTransaction(ctx.conn.dialect, error)
          )
            throw error
          const statement = only as PreparedStatement
          ctx.events.onNotice?.(
            `${statement.file}:${statement.line}: PostgreSQL refuses it in a transaction block (${(error as Error).message}); running it alone`,
          )
          // The refusal came before the statement did anything, and its transaction rolled back.
          await alone(statement, false)
        }
      } else await alone(unit.statement, i === 0 && interrupted)
    } catch (error) {
      throw await recordFailure(ctx, migration, error, { rowExists, completed, total: statements.length, write })
    }
    completed = done
    rowExists = true
  }
  ctx.events.onDone?.(migration, 'up', priorMs + performance.now() - started)
}

/**
 * Whether the server runs ALTER TYPE ... ADD VALUE in a transaction block (PostgreSQL 12 and later).
 * Asked only of migrations that add an enum value.
 */
async function enumValuesInTransaction(conn: Connection, statements: readonly PreparedStatement[]): Promise<boolean> {
  if (!statements.some(isEnumValueAddition)) return true
  const [row] = await conn.query<{ version: number }>("select current_setting('server_version_num')::int as version")
  return Number(row?.version ?? 0) >= 120000
}

/**
 * Puts back the session settings (`SET search_path ...`, `SET ROLE ...`) that the migration's committed
 * statements made, before a resume runs the rest on a new session: statements after them were written
 * to run under those settings. A SET LOCAL ended with its transaction, so it is left out. Settings made
 * some other way (`select set_config(...)`) cannot be seen and are not restored. MySQL decides for itself
 * what runs again, and refuses a rest that reads state it cannot make again (its runner's sessionReplay).
 */
async function restoreSessionSettings(
  ctx: ApplyContext,
  setup: SessionSetup,
  migration: Migration,
  statements: readonly PreparedStatement[],
  completed: number,
): Promise<void> {
  const own = runtimeOf(ctx.conn.dialect).runner.sessionReplay
  const committed = statements.slice(0, completed)
  const settings =
    own !== undefined
      ? own(committed, statements.slice(completed), migration)
      : committed.filter((s) => 'VariableSetStmt' in s.node && s.node.VariableSetStmt.is_local !== true)
  if (settings.length === 0) return
  await setup.apply()
  for (const statement of settings) await execStatement(ctx.conn, statement)
}

/** Runs a statement that cannot run in a transaction, then journals its progress. */
async function runAlone(
  ctx: ApplyContext,
  statement: PreparedStatement,
  entry: () => JournalWrite,
  completed: number,
  interrupted: boolean,
): Promise<void> {
  const verdict = await resumeVerdict(ctx.conn, statement, interrupted, {
    journal: ctx.journal,
    version: entry().version,
  })
  const where = `${statement.file}:${statement.line}`
  switch (verdict.kind) {
    case 'done':
      ctx.events.onNotice?.(`${where}: ${verdict.reason}; recording it as done`)
      break
    case 'rebuild':
      ctx.events.onNotice?.(`${where}: ${verdict.reason}; dropping it to build it again`)
      await execStatement(ctx.conn, { ...statement, sql: verdict.dropSql })
      await execBesideWriters(ctx, statement)
      break
    case 'finish':
      ctx.events.onNotice?.(`${where}: ${verdict.reason}; finishing it`)
      await execStatement(ctx.conn, { ...statement, sql: verdict.sql })
      break
    case 'run':
      if (verdict.notice !== undefined) ctx.events.onNotice?.(`${where}: ${verdict.notice}`)
      await execBesideWriters(ctx, statement)
      break
    default:
      assertNever(verdict)
  }
  await ctx.journal.update(entry(), completed)
}

/**
 * Runs a statement alone; one whose lock waits hold up no writer (a concurrent index build, see
 * the dialect's patientLock hook) waits up to the lock deadline instead of the short per-try lock_timeout, which
 * would leave its index INVALID at every try while a long transaction is open. The session's own
 * lock_timeout (the migration's, or one its statements set) is put back afterwards.
 */
async function execBesideWriters(ctx: ApplyContext, statement: PreparedStatement): Promise<void> {
  const patient = runtimeOf(ctx.conn.dialect).runner.patientLock
  if (patient === undefined || !patient.waitsBesideWriters(statement)) return execStatement(ctx.conn, statement)
  const where = `${statement.file}:${statement.line}`
  const { watchIndexBuild } = await import('./watch-build.js')
  return watchIndexBuild(ctx.conn, ctx.monitor, where, ctx.events.onIndexBuild, () =>
    ctx.ownLockTimeout === true
      ? execStatement(ctx.conn, statement)
      : patient.withPatientLockTimeout(ctx.conn, ctx.lockDeadlineMs, () => execStatement(ctx.conn, statement)),
  )
}

interface FailureState {
  readonly rowExists: boolean
  readonly completed: number
  readonly total: number
  readonly write: (status: JournalEntry['status'], done: number) => JournalWrite
}

/**
 * Turns a failure into MIGRATION_FAILED naming file and line, and records it in the journal when
 * something of the migration is committed (a row exists). A transactional unit that fails first
 * leaves no row: the database and journal are as they were.
 */
async function recordFailure(
  ctx: ApplyContext,
  migration: Migration,
  error: unknown,
  state: FailureState,
): Promise<unknown> {
  if (!(error instanceof StatementFailure)) return error
  const located = error.located()
  const failed = `${error.statement.file}:${error.statement.line}: ${error.statement.sql.slice(0, 4000)}`
  if (state.rowExists) {
    const entry = { ...state.write('failed', state.completed), error: located.message, failedStatement: failed }
    await ctx.journal.update(entry, state.completed).catch(() => {})
  }
  const progress = state.rowExists
    ? `\n  ${state.completed} of ${state.total} statements are committed; \`keel migrate\` resumes at statement ${state.completed + 1} once the cause is fixed`
    : '\n  nothing of this migration was committed'
  // A dropped connection is no fault of the migration: say so, with its own code and hint.
  const lost = located.code === 'CONNECTION_LOST'
  // Out of lock retries: name who held the lock, so that a person can end that session or wait for it.
  const { gaveUp, text: lockText } = await lockFailureText(ctx.conn, error)
  const hint = gaveUp
    ? 'End or wait for the session that holds the lock, or give the migration longer with `-- keel:lock-deadline 10min` (or lockDeadline in keel.config.ts, --lock-deadline), then run `keel migrate` again.'
    : state.rowExists || lost
      ? undefined
      : 'Fix the cause and run `keel migrate` again.'
  return new KeelError(
    lost ? 'CONNECTION_LOST' : 'MIGRATION_FAILED',
    `${migration.id} failed at ${located.message}${lockText}${progress}`,
    hint,
    { cause: error.cause },
  )
}

/**
 * Applies a TypeScript migration's up (the module loaded beforehand). In a transaction with its
 * journal row, unless the module asks for `// keel:no-transaction`; then its row says `partial` while
 * it runs, and an interrupted or failed module is never resumed automatically (Keel cannot know how
 * far its code got).
 */
export async function applyModuleUp(ctx: ApplyContext, migration: Migration, mod: MigrationModule): Promise<void> {
  const started = performance.now()
  ctx.events.onStart?.(migration, 'up', undefined)
  // Loaded with the module itself (runner.ts prepareAll), never for a run of SQL migrations only.
  const { migrationDb } = await import('./module-migration.js')
  await ctx.conn.exec(setupFor(ctx, migration))
  const entry = (status: JournalEntry['status']): JournalWrite => ({
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    status,
    batch: ctx.batch,
    durationMs: performance.now() - started,
    completedStatements: 0,
    totalStatements: undefined,
    statementHashes: [],
    error: undefined,
    failedStatement: undefined,
    origin: 'migrate',
  })
  try {
    if (migration.directives.noTransaction) {
      await ctx.journal.insert(entry('partial'))
      await mod.up(migrationDb(ctx.conn))
      await ctx.journal.update(entry('applied'), 0)
    } else {
      await ctx.conn.transaction(async (tx) => {
        await mod.up(migrationDb(tx))
        await ctx.journal.insert(entry('applied'))
      })
    }
  } catch (error) {
    const message = `${migration.id}/migration.ts: up failed: ${error instanceof Error ? error.message : String(error)}`
    if (migration.directives.noTransaction) {
      await ctx.journal.update({ ...entry('failed'), error: message, failedStatement: undefined }, 0).catch(() => {})
    }
    if (error instanceof KeelError) throw error
    throw new KeelError('MIGRATION_FAILED', message, undefined, { cause: error })
  }
  ctx.events.onDone?.(migration, 'up', performance.now() - started)
}

/** The run's context with this migration's own lock deadline, when its directives set one. */
export function withMigrationBudget(ctx: ApplyContext, migration: Migration): ApplyContext {
  const own = migration.directives.lockDeadlineMs
  const ownLockTimeout = migration.directives.lockTimeout !== undefined
  return { ...ctx, lockDeadlineMs: own ?? ctx.lockDeadlineMs, ownLockTimeout }
}

/** The session setup for a migration: its own timeouts when its directives set them. */
export function setupFor(
  ctx: Pick<ApplyContext, 'lockTimeout' | 'statementTimeout' | 'conn'>,
  migration: Migration,
): string {
  return sessionSetup(
    migration.directives.lockTimeout ?? ctx.lockTimeout,
    migration.directives.statementTimeout ?? ctx.statementTimeout,
    ctx.conn.dialect,
  )
}
