import { assertNever } from '../assert-never.js'
import type { Connection } from '../db/connection.js'
import { KeelError } from '../errors.js'
import type { Migration } from './directory.js'
import type { Journal, JournalEntry, JournalWrite } from './journal.js'
import { type MigrationModule, migrationDb } from './module-migration.js'
import {
  execStatement,
  groupStatements,
  lockRetryNotice,
  type PreparedStatement,
  StatementFailure,
  sessionSetup,
  unitStatements,
  withLockRetries,
} from './prepare-statements.js'
import { resumeVerdict } from './resume.js'
import { runTransactionUnit } from './run-transaction-unit.js'
import { SessionSetup } from './session-setup.js'

/** What the runner reports while it works (the CLI turns these into progress lines). */
export interface RunnerEvents {
  readonly onStart?: (migration: Migration, direction: 'up' | 'down', resumeAt: number | undefined) => void
  readonly onDone?: (migration: Migration, direction: 'up' | 'down', durationMs: number) => void
  /** Something a person should know: a retry after a lock timeout, an invalid index rebuilt. */
  readonly onNotice?: (text: string) => void
}

/** Everything applying one migration needs. */
export interface ApplyContext {
  readonly conn: Connection
  readonly journal: Journal
  readonly batch: number
  readonly lockTimeout: string
  readonly statementTimeout: string
  /** How often a unit that hit lock_timeout (or a deadlock) is retried. */
  readonly lockRetries: number
  readonly events: RunnerEvents
  /**
   * Whether a transactional unit may go to the server as one text with its own BEGIN and COMMIT (see
   * run-transaction-unit.ts). Not when the connection is inside a caller's transaction, where the
   * runner's transactions must be savepoints.
   */
  readonly batched?: boolean
  /** Session setups that already applied on `conn` in this run (mutable: the run's migrations share it). */
  readonly appliedSetups?: Set<string>
}

/**
 * Applies a SQL migration's up, from the start or (given its journal row) resuming after the
 * statements already committed. Each transactional unit commits together with its journal progress,
 * so the journal never claims more or less than the database holds; a statement that runs alone is
 * journaled right after it commits, and the row exists before it starts, so an interruption shows
 * as `partial` and the resume probes the catalog for that one statement (see resume.ts).
 */
export async function applySqlUp(
  ctx: ApplyContext,
  migration: Migration,
  statements: readonly PreparedStatement[],
  resume: JournalEntry | undefined,
): Promise<void> {
  const started = performance.now()
  const priorMs = resume?.durationMs ?? 0
  let completed = resume?.completedStatements ?? 0
  let rowExists = resume !== undefined
  ctx.events.onStart?.(migration, 'up', resume === undefined ? undefined : completed + 1)
  const setup = new SessionSetup(ctx.conn, setupFor(ctx, migration), ctx.appliedSetups)
  const units = groupStatements(statements.slice(completed), migration.directives.noTransaction)
  const write = (status: JournalEntry['status'], done: number): JournalWrite => ({
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    status,
    batch: ctx.batch,
    durationMs: priorMs + performance.now() - started,
    completedStatements: done,
    totalStatements: statements.length,
    statementHashes: statements.slice(0, done).map((s) => s.hash),
    error: undefined,
    failedStatement: undefined,
    origin: 'migrate',
  })
  if (units.length === 0) {
    // An empty migration, or one whose last statement committed just before an interruption.
    await setup.apply()
    if (rowExists) await ctx.journal.update(write('applied', completed), completed)
    else await ctx.journal.insert(write('applied', completed))
  }
  for (const [i, unit] of units.entries()) {
    const done = completed + unitStatements(unit).length
    const status = i === units.length - 1 ? 'applied' : 'partial'
    try {
      if (unit.kind === 'transaction') {
        const journal = { rowExists, completed, entry: () => write(status, done) }
        await runTransactionUnit(ctx, unit.statements, journal, setup)
      } else {
        await setup.apply()
        if (!rowExists) {
          await ctx.journal.insert(write('partial', completed))
          rowExists = true
        }
        const interrupted = i === 0 && resume?.status === 'partial'
        await withLockRetries(
          ctx.lockRetries,
          () => runAlone(ctx, unit.statement, () => write(status, done), completed, interrupted),
          (failure, attempt, delay) => ctx.events.onNotice?.(lockRetryNotice(failure, attempt, delay, ctx.lockRetries)),
        )
      }
    } catch (error) {
      throw await recordFailure(ctx, migration, error, { rowExists, completed, total: statements.length, write })
    }
    completed = done
    rowExists = true
  }
  ctx.events.onDone?.(migration, 'up', priorMs + performance.now() - started)
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
  switch (verdict.kind) {
    case 'done':
      ctx.events.onNotice?.(`${statement.file}:${statement.line}: ${verdict.reason}; recording it as done`)
      break
    case 'rebuild':
      ctx.events.onNotice?.(`${statement.file}:${statement.line}: ${verdict.reason}; dropping it to build it again`)
      await execStatement(ctx.conn, { ...statement, sql: verdict.dropSql })
      await execStatement(ctx.conn, statement)
      break
    case 'run':
      await execStatement(ctx.conn, statement)
      break
    default:
      assertNever(verdict)
  }
  await ctx.journal.update(entry(), completed)
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
  return new KeelError(
    'MIGRATION_FAILED',
    `${migration.id} failed at ${located.message}${progress}`,
    state.rowExists ? undefined : 'Fix the cause and run `keel migrate` again.',
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

/** The session setup for a migration: its own timeouts when its directives set them. */
export function setupFor(ctx: Pick<ApplyContext, 'lockTimeout' | 'statementTimeout'>, migration: Migration): string {
  return sessionSetup(
    migration.directives.lockTimeout ?? ctx.lockTimeout,
    migration.directives.statementTimeout ?? ctx.statementTimeout,
  )
}
