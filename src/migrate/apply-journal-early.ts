import type { Connection } from '../db/connection.js'
import type { Journal } from './journal.js'

/** A run's journal as listed under the runner lock, before its first change. */
export interface JournalRun {
  readonly conn: Connection
  readonly journal: Journal
  /** How many rows the list found: a journal with rows exists. */
  readonly listed: number
  /** The connection is outside any transaction (the runner's own, or a caller's found so). */
  readonly batched: boolean
  /** When the journal's creation may go to the server: once what the check reads there has been read. */
  readonly after: Promise<unknown>
  /** The run's check, if any, and whether it leaves the connection alone (MigrateOptions'). */
  readonly options: EarlyJournalOptions & { readonly check?: unknown }
}

/** What MigrateOptions takes for the journal's creation beside the check. */
export interface EarlyJournalOptions {
  /**
   * That MigrateOptions.check sends nothing on the run's connection (`keel migrate`'s lint reads the facts
   * prepareCheck fetched). Only then, or without a check, does a first run create its journal in a transaction while
   * it parses and checks: a check's own BEGIN ... COMMIT on the connection would commit that creation before the check
   * had passed, and its queries would fail in a transaction a failed creation left aborted.
   */
  readonly checkLeavesConnection?: boolean
}

/**
 * Runs `refusals` (the parse and the check: all that may refuse the run), and once they have passed makes sure the
 * journal exists. An empty list may be a table not made yet, which the list saw under the runner lock: on a server
 * that can undo it, it is created beside `refusals` (createJournalEarly) and committed after them, or rolled back
 * with them; elsewhere after them, as Journal.ensure does.
 */
export async function refuseThenEnsureJournal<T>(run: JournalRun, refusals: () => Promise<T>): Promise<T> {
  const { conn, journal } = run
  const missing = run.listed === 0 && journal.listedMissing
  const besideCheck = run.options.check === undefined || run.options.checkLeavesConnection === true
  const early = missing && run.batched && besideCheck ? createJournalEarly(conn, journal, run.after) : undefined
  let passed: T
  try {
    passed = await refusals()
  } catch (error) {
    await early?.abandon()
    throw error
  }
  if (early !== undefined) await early.commit()
  else if (run.listed === 0) await journal.ensure({ knownMissing: journal.listedMissing })
  return passed
}

/** A journal table being created in a transaction left open, while the run still parses and checks its migrations. */
export interface EarlyJournal {
  /**
   * The run may change the database now: commits the creation. When the creation failed, or its transaction was
   * broken meanwhile (a check's failed query on the run's connection) so that COMMIT rolled it back, creates the table
   * as Journal.ensure does, which meets the same error, if any, where a run without this one meets it.
   */
  commit(): Promise<void>
  /** The run was refused: rolls the creation back, leaving the connection outside any transaction, as it was. */
  abandon(): Promise<void>
}

/**
 * Starts creating the journal of a first run (a database without keel_migrations) once `after` settles, in a
 * transaction left open until the run's check has passed: the server builds the table while this process parses and
 * lints the migrations. Created after the check instead, the table held up the first migration by a round trip and
 * the server's CREATE TABLE in a new session (10-30 ms of server time on the loaded 2-core machine, 1-8 ms for the
 * COMMIT that is left there). Nothing changes before the check passes, as before: no other session sees the table
 * until COMMIT, and a refused run rolls it back (a killed one too: its session ends with its client, the transaction
 * undone). `idle_in_transaction_session_timeout` is off in that transaction, so that a server that ends idle
 * transactions does not end the run's session while it lints.
 *
 * Undefined (the caller creates the table afterwards, as before) where it does not pay or cannot be undone: a dialect
 * whose DDL commits at once (MySQL), or a connection without a server working beside this process (PGlite and SQLite
 * run in it). `conn` must be outside any transaction.
 */
export function createJournalEarly(
  conn: Connection,
  journal: Journal,
  after: Promise<unknown>,
): EarlyJournal | undefined {
  const creation = journal.undoableCreation
  const batch = conn.queryBatch?.bind(conn)
  if (creation === undefined || batch === undefined) return undefined
  // Not sent once the run has gone past it (a prepareCheck still running when the check is done): created then as before.
  let state: 'waiting' | 'sent' | 'passed' = 'waiting'
  const sent = after
    .catch(() => {})
    .then(async () => {
      if (state === 'passed') return false
      state = 'sent'
      return conn.exec(`BEGIN;\nSET LOCAL idle_in_transaction_session_timeout = 0;\n${creation.create}`).then(
        () => true,
        () => false,
      )
    })
  return {
    async commit() {
      if (state === 'waiting') state = 'passed'
      else if (await sent) {
        // The look for the table travels with the COMMIT: one round trip, where the old creation took one too.
        const [, found] = await batch(['COMMIT', creation.exists])
        if (found?.[0]?.ok === true) return
      } else {
        // The creation failed part-way, and its transaction block is aborted; a lost connection fails again below.
        await conn.exec('ROLLBACK').catch(() => {})
      }
      await journal.ensure({ knownMissing: true })
    },
    async abandon() {
      if (state === 'waiting') {
        state = 'passed'
        return
      }
      await sent
      await conn.exec('ROLLBACK').catch(() => {})
    },
  }
}
