import { assertNever } from '../assert-never.js'
import type { Connection } from '../db/connection.js'
import { loadDriver, openDatabase } from '../db/open.js'
import type { ErrorCode } from '../errors.js'
import type { ChecksumCache } from './checksum-cache.js'
import {
  type Migration,
  type MigrationHead,
  type MigrationsDirectory,
  readMigrationsDirectoryYielding,
} from './directory.js'
import { Journal, type JournalSummary } from './journal.js'
import { describeSumProblems, parseSum, verifySum } from './keel-sum.js'
import { readMigrationHeadsYielding } from './read-heads.js'
import { type AnyMigrationState, describeStop, idOf, type MigrationState, migrationStates } from './status.js'

/** A problem `keel status` and `keel check` report, with the error code the runner would raise. */
export interface StatusProblem {
  readonly code: ErrorCode
  readonly message: string
}

export interface StatusReport<M extends MigrationHead = Migration> {
  readonly states: readonly MigrationState<M, JournalSummary>[]
  /** Whether keel_migrations exists yet. */
  readonly journalExists: boolean
  readonly problems: readonly StatusProblem[]
}

export interface ReadStatusOptions {
  /** Undefined: the database does not exist yet (an embedded one never created), so nothing is applied. */
  readonly url: string | undefined
  readonly migrationsDir: string
  readonly journalSchema?: string
  readonly connection?: Connection
  /** The process ends after this: the connection it opens is closed without waiting for the server (`keel status`). */
  readonly lastUse?: boolean
  /**
   * Read only the migrations' heads, through this cache of verified folders (checksum-cache.ts): the report's
   * migrations then have no files' text, only what `keel status` shows.
   */
  readonly checksumCache?: ChecksumCache
}

/**
 * Reads the state of every migration without changing anything (no lock, no journal creation):
 * what is applied, pending, stopped part-way, edited after it was applied, or missing, and whether
 * keel.sum matches the directory.
 */
export async function readStatus(
  options: ReadStatusOptions & { readonly checksumCache: ChecksumCache },
): Promise<StatusReport<MigrationHead>>
export async function readStatus(
  options: ReadStatusOptions & { readonly checksumCache?: undefined },
): Promise<StatusReport>
export async function readStatus(options: ReadStatusOptions): Promise<StatusReport<MigrationHead>> {
  const journalRead = async (journal: Journal) => {
    const exists = await journal.exists()
    return { exists, entries: exists ? await journal.listSummaries() : [] }
  }
  return readStatusInputs(
    options,
    () => readDirectory(options),
    journalRead,
    (directory, journal) => statusReport(directory, journal?.entries ?? [], journal?.exists === true),
  )
}

/** The migrations directory for a report: through the checksum cache when there is one, not saved (the caller saves). */
export function readDirectory(options: ReadStatusOptions): Promise<MigrationsDirectory<MigrationHead>> {
  return options.checksumCache === undefined
    ? readMigrationsDirectoryYielding(options.migrationsDir)
    : readMigrationHeadsYielding(options.migrationsDir, options.checksumCache, { save: false })
}

/**
 * What `readDirectory` gives of the directory, and what `readJournal` gives of the journal (undefined without a
 * database), handed to `conclude`, whose result this is. The cache is saved after `conclude`
 * (which may record a report in it: status-snapshot.ts), or after the journal's error.
 * The database connects and its journal is read while the directory is read (which gives the event loop a turn
 * every few dozen folders): the server's part, a backend started and two queries, then adds no wall time. The driver
 * is loaded first, so that connecting starts before the reading: left to openDatabase, its modules loaded during the
 * reading's turns and the connect and both queries came after it (1,000 migrations: the process then waited ~10 ms
 * for the server at the end).
 */
export async function readStatusInputs<D, J, T>(
  options: ReadStatusOptions,
  readDirectory: () => Promise<D>,
  readJournal: (journal: Journal) => Promise<J>,
  conclude: (directory: D, journal: J | undefined) => T | Promise<T>,
): Promise<T> {
  const own = options.connection === undefined && options.url !== undefined
  if (own) await loadDriver(options.url as string)
  const opening =
    options.connection !== undefined
      ? Promise.resolve(options.connection)
      : options.url === undefined
        ? undefined
        : openDatabase(options.url, 'keel status')
  const journalRead = opening?.then((conn) => readJournal(new Journal(conn, options.journalSchema ?? 'public')))
  // Awaited after the directory's own errors, which come first as they always did.
  journalRead?.catch(() => {})
  let directory: D
  try {
    directory = await readDirectory()
  } catch (error) {
    // Reported at once, not after a connect that may take its whole timeout; the connection closes when it opens.
    if (own) void opening?.then((conn) => conn.close()).catch(() => {})
    throw error
  }
  try {
    return await conclude(directory, journalRead === undefined ? undefined : await journalRead)
  } finally {
    options.checksumCache?.save()
    const conn = own ? await opening?.catch(() => undefined) : undefined
    if (options.lastUse === true && conn?.closeWithoutWaiting !== undefined) conn.closeWithoutWaiting()
    else await conn?.close()
  }
}

/**
 * The report of a directory and the journal's rows (`journalExists`: whether keel_migrations exists). `sumMessages`:
 * keel.sum's verdict on this directory when the caller knows it already (status-snapshot.ts), else found here.
 */
export function statusReport(
  directory: MigrationsDirectory<MigrationHead>,
  entries: readonly JournalSummary[],
  journalExists: boolean,
  sumMessages: readonly string[] = sumProblemMessages(directory),
): StatusReport<MigrationHead> {
  const states = migrationStates(directory, entries)
  const sumProblems = sumMessages.map((message) => ({ code: 'SUM_MISMATCH' as const, message }))
  return { states, journalExists, problems: [...sumProblems, ...stateProblems(states)] }
}

/** What is wrong with keel.sum against the directory's folders, as its SUM_MISMATCH problems word it; none when whole. */
export function sumProblemMessages(directory: MigrationsDirectory<MigrationHead>): string[] {
  // keel.sum is parsed once, and its ids listed only to word a problem.
  const parsed = directory.sumText === undefined ? undefined : parseSum(directory.sumText)
  const found = verifySum(directory, parsed)
  const sumIds = found.length > 0 && parsed !== undefined && 'sum' in parsed ? parsed.sum.entries.map((e) => e.id) : []
  return describeSumProblems(found, sumIds)
}

/** The problems among migration states; pending migrations in order are not problems. */
export function stateProblems(states: readonly AnyMigrationState[]): StatusProblem[] {
  return states.flatMap((s): StatusProblem[] => {
    switch (s.kind) {
      case 'modified':
        return [{ code: 'CHECKSUM_MISMATCH', message: s.reason }]
      case 'missing':
        return [{ code: 'MISSING_MIGRATION', message: `${idOf(s)} is applied but its folder is missing` }]
      case 'partial':
      case 'failed':
        return [
          {
            code: 'PARTIAL_MIGRATION',
            message: `${idOf(s)} ${describeStop(s.kind, s.entry)}${s.entry.error ? `: ${s.entry.error.split('\n')[0]}` : ' (interrupted)'}`,
          },
        ]
      case 'pending':
        return s.outOfOrder
          ? [{ code: 'OUT_OF_ORDER', message: `${idOf(s)} is pending but older than the newest applied migration` }]
          : []
      case 'applied':
        return []
      default:
        return assertNever(s)
    }
  })
}
