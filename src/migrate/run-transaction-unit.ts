import { runtimeOf } from '../dialect/runtimes.js'
import type { ApplyContext } from './apply-migration.js'
import type { JournalWrite } from './journal.js'
import { withLockRetries } from './lock-retry.js'
import { execStatement, isRetryable, type PreparedStatement, StatementFailure } from './prepare-statements.js'
import type { SessionSetup } from './session-setup.js'
import { batchStatements, failureAt, inBatches } from './statement-batch.js'

/** The journal write that commits together with a transactional unit. */
export interface UnitJournal {
  /** Whether the migration's row exists already (then it is updated) or not (then it is inserted). */
  readonly rowExists: boolean
  /** The row's completed_statements now: the optimistic check of an update. */
  readonly completed: number
  /** The row as it is to be written, computed when it is written (its duration is measured up to then). */
  readonly entry: () => JournalWrite
}

/**
 * Runs consecutive ordinary statements of a migration in one transaction together with its journal
 * write, retrying after a lock timeout or deadlock as before.
 *
 * The statements go to the server as one text (`BEGIN; s1; s2; ...`, with the migration's session
 * settings in front; a group over BATCH_CHARS of SQL as several). Where the dialect's server can time a
 * text (PostgreSQL), a migration's first journal row and `COMMIT` end that same text: one round trip per
 * migration. Otherwise, and for a row that exists already (whose update checks the progress it replaces),
 * the journal write and `COMMIT` follow as a second text.
 *
 * Either way the statements and their journal row commit together or not at all. A runner killed after
 * sending a text with its COMMIT leaves a server session that runs the text to its end, or stops at the
 * first error or when it finds its client gone: the migration then commits whole with its row, or rolls
 * back whole. The next runner waits for that session to end before it reads the journal (session.ts).
 *
 * A failure names its statement as before: from the server's error position when there is one, or
 * trivially for a single statement. A runtime error of a group of several statements says nowhere
 * which statement failed; the group is then rolled back and run again statement by statement, exactly
 * as the runner used to, which fails at the same statement (and ends with the same database and
 * journal) or, when the error does not happen again, applies the group. After a lock timeout or a
 * deadlock the group is instead run statement by statement only on the retry, after the usual pause,
 * so that other sessions get their turn on the locks first; after a cancel or a lost session it is
 * not run again, and the failure names the group's lines (`up.sql:2-9`).
 */
export async function runTransactionUnit(
  ctx: ApplyContext,
  statements: readonly PreparedStatement[],
  journal: UnitJournal,
  setup: SessionSetup,
  failedFirst?: FailedTry,
): Promise<void> {
  let oneByOne = ctx.batched !== true
  let tried = failedFirst
  await withLockRetries(ctx, async () => {
    if (oneByOne) return runOneByOne(ctx, statements, journal, setup)
    const unlocated = tried === undefined ? await runBatched(ctx, statements, journal, setup) : replay(tried)
    tried = undefined
    if (unlocated === undefined) return
    oneByOne = true
    const somewhere = inGroup(statements, unlocated.error)
    // A lock failure waits for its retry (which runs one by one); see mayRunAgain for the others.
    if (isRetryable(ctx.conn.dialect, unlocated.error) || !mayRunAgain(ctx, unlocated.error)) throw somewhere
    await runOneByOne(ctx, statements, journal, setup)
    ctx.events.onNotice?.(
      `${somewhere.where}: ${somewhere.message}; when run again statement by statement to find the failing one, the statements succeeded`,
    )
  })
}

/**
 * How a unit's first try went when it ran as part of a larger text (apply-sql-group.ts): it failed, and its
 * transaction rolled back. `failure`: the statement it failed at, when known.
 */
export interface FailedTry {
  readonly error: unknown
  readonly failure: StatementFailure | undefined
}

/** A failed first try as {@link runBatched} would have ended it. */
function replay(tried: FailedTry): { readonly error: unknown } {
  if (tried.failure !== undefined) throw tried.failure
  return { error: tried.error }
}

/**
 * One attempt in one round trip (two where the journal row and COMMIT go apart, see runTransactionUnit).
 * Throws a StatementFailure when the statements failed and the failing one is known; returns the error
 * when it is not (a runtime error in a group of several statements, or of the journal row or COMMIT sent
 * with them, which the run statement by statement then meets on its own); throws a journal or COMMIT
 * failure sent apart as it comes. Whatever fails, the transaction is rolled back.
 */
async function runBatched(
  ctx: ApplyContext,
  statements: readonly PreparedStatement[],
  journal: UnitJournal,
  setup: SessionSetup,
): Promise<{ readonly error: unknown } | undefined> {
  const commitInText = !journal.rowExists && ctx.journal.commitsInText
  // A large group (a data load) goes in texts of about BATCH_CHARS, all before the COMMIT.
  const runs = inBatches(statements)
  for (const [i, run] of runs.entries()) {
    const batch = batchStatements(i === 0 ? `${await setup.prefix()}BEGIN;\n` : '', run)
    // The row's duration so far, measured here, and the server's time on the text added to it.
    const text =
      commitInText && i === runs.length - 1
        ? `${batch.text}\n;\n${ctx.journal.insertSql(journal.entry(), { elapsedSince: 'text' })};\nCOMMIT`
        : batch.text
    try {
      await ctx.conn.exec(text)
    } catch (error) {
      await setup.rollback()
      // The settings in front applied cleanly before and BEGIN cannot fail: a lone statement is the culprit (of a
      // COMMIT's failure too, a deferred constraint's, when the journal row and COMMIT travel with it).
      const [only] = run
      const failure =
        failureAt(batch, error, ctx.conn.serverEncoding) ??
        (run.length === 1 && only ? new StatementFailure(only, error) : undefined)
      if (failure !== undefined) throw failure
      return { error }
    }
  }
  if (!commitInText) {
    try {
      if (journal.rowExists) {
        await ctx.journal.update(journal.entry(), journal.completed)
        await ctx.conn.exec('COMMIT')
      } else await ctx.conn.exec(`${ctx.journal.insertSql(journal.entry())};\nCOMMIT`)
    } catch (error) {
      await setup.rollback()
      throw error
    }
  }
  setup.committed()
  return undefined
}

/** One attempt statement by statement, each in its own round trip: how the runner has always done it. */
async function runOneByOne(
  ctx: ApplyContext,
  statements: readonly PreparedStatement[],
  journal: UnitJournal,
  setup: SessionSetup,
): Promise<void> {
  await setup.apply()
  await ctx.conn.transaction(async (tx) => {
    for (const statement of statements) await execStatement(tx, statement)
    if (journal.rowExists) await ctx.journal.update(journal.entry(), journal.completed)
    else await ctx.journal.insert(journal.entry())
  })
}

/** A failure somewhere in the group, named by the group's lines. */
function inGroup(statements: readonly PreparedStatement[], error: unknown): StatementFailure {
  const first = statements[0] as PreparedStatement
  return new StatementFailure(first, error, { lastLine: (statements.at(-1) as PreparedStatement).line })
}

/**
 * Whether running a failed group again, statement by statement, is a fair way to find the failing
 * statement: only after an error of a statement's own, as the connection's dialect tells (not after a lost
 * session or a cancel). Otherwise the failure is reported with the group's lines.
 */
function mayRunAgain(ctx: ApplyContext, error: unknown): boolean {
  return runtimeOf(ctx.conn.dialect).runner.isStatementError?.(error) === true
}
