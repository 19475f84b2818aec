import type { Connection } from '../db/connection.js'
import { openDatabase } from '../db/open.js'
import type { DialectName } from '../dialect/registry.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { applyAll } from './apply-all.js'
import { type EarlyJournalOptions, refuseThenEnsureJournal } from './apply-journal-early.js'
import type { ApplyContext, RunnerEvents } from './apply-migration.js'
import {
  type Migration,
  type MigrationsDirectory,
  readMigrationsDirectory,
  readMigrationsDirectoryYielding,
} from './directory.js'
import { Journal, type JournalEntry } from './journal.js'
import { assertSumMatches, sealDrafts } from './keel-sum.js'
import type { LockHolder } from './lock.js'
import { DEFAULT_LOCK_WAIT_MS, defaultLockTimeout } from './lock-defaults.js'
import { DEFAULT_LOCK_DEADLINE_MS } from './lock-retry.js'
import type { MigrationModule } from './module-migration.js'
import { preloadParser } from './preload-parser.js'
import { type PreparedStatement, prepareStatements } from './prepare-statements.js'
import { assertResumable } from './resume.js'
import { type OrphanSession, withRunnerSession } from './session.js'
import { assertHistoryIntact, idOf, type MigrationState, migrationStates } from './status.js'

/** Where and how the runner works; the CLI fills this from the config and flags. */
export interface RunnerOptions {
  readonly url: string
  readonly migrationsDir: string
  /** Namespace of keel_migrations. Default `public`. */
  readonly journalSchema?: string
  /**
   * `lock_timeout` of each migration, unless its directives say otherwise: how long one try of a statement may
   * wait for a lock, and so hold up the writers queued behind it. Default: the dialect's (50ms on PostgreSQL).
   */
  readonly lockTimeout?: string
  /** `statement_timeout` of each migration. Default 0 (none). */
  readonly statementTimeout?: string
  /** How long to wait for another runner's lock. Default 2 minutes. */
  readonly lockWaitMs?: number
  /** Retries at most of a unit that hit lock_timeout or a deadlock. Default: no limit but the deadline. */
  readonly lockRetries?: number
  /** How long a unit that hit lock_timeout is retried before the migration fails. Default 1 minute. */
  readonly lockDeadlineMs?: number
  /** The command name, for application_name. */
  readonly command?: string
  /** The process ends after this run (the CLI): its sessions are closed without waiting for the server (lock.ts). */
  readonly lastUse?: boolean
  /**
   * An open connection to `url` to work on (the caller keeps it open). The runner lock still takes a
   * session of its own on PostgreSQL. Needed for an in-memory PGlite, which exists only in its connection.
   */
  readonly connection?: Connection
  readonly events?: RunnerEventsWithLock
}

export interface RunnerEventsWithLock extends RunnerEvents {
  readonly onLockWait?: (holder: LockHolder | undefined, waitedMs: number) => void
  readonly onOrphanWait?: (orphan: OrphanSession) => void
}

export interface MigrateOptions extends RunnerOptions, EarlyJournalOptions {
  /** Apply up to and including this version (or folder name). */
  readonly to?: string
  /** Print the SQL instead of running it. */
  readonly dryRun?: boolean
  /** Apply pending migrations older than the newest applied one (a merged branch) too. */
  readonly allowOutOfOrder?: boolean
  /**
   * Judges the migrations about to run and refuses them by throwing: called once they are all parsed and before
   * anything changes (the journal's creation included), under the runner lock and on the run's own connection,
   * so that what it judges is exactly what runs, read and parsed once. Not called when nothing is to run.
   * `keel migrate` lints them here.
   */
  readonly check?: (toRun: readonly MigrationToRun[], conn: Connection) => Promise<void>
  /**
   * Loads what `check` needs (`keel migrate`: the lint rules, and the live facts it reads on `conn`), started once
   * something is to run and before the migrations are parsed, so that it loads while the parser's WebAssembly
   * compiles in the background, and its queries' round trips pass while the files are parsed (prepareAll lets them
   * in between two files). `check` must not rely on it having finished; a failure of it is ignored here (`check`
   * meets it again).
   */
  readonly prepareCheck?: (conn: Connection) => Promise<unknown>
  /**
   * Asks the run to stop early (`keel migrate`'s first Ctrl-C): checked before each migration, or each group of
   * migrations sent in one text, so that what is already running finishes (or fails) exactly as it would have, and
   * nothing after it starts. The result then says `interrupted`, and the migrations not run stay pending.
   */
  readonly signal?: AbortSignal
}

/** A migration about to run: for a SQL one, its statements as the run parsed them. */
export interface MigrationToRun {
  readonly migration: Migration
  readonly statements: readonly PreparedStatement[] | undefined
}

/** One migration the runner applied (or, for a dry run, would apply). */
export interface AppliedMigration {
  readonly version: string
  readonly name: string
  /** 1-based statement the run resumed at, for a migration that had stopped part-way. */
  readonly resumedAt: number | undefined
  readonly durationMs: number
}

export interface MigrateResult {
  readonly applied: readonly AppliedMigration[]
  /** The batch number of this run, when it applied anything. */
  readonly batch: number | undefined
  /** Pending migrations left after `to`. */
  readonly remaining: readonly string[]
  /** For a dry run: the SQL that would run. */
  readonly sql?: string
  /** Stopped by {@link MigrateOptions.signal} before every migration selected was applied: those it did not run. */
  readonly interrupted?: { readonly notRun: readonly string[] }
}

/**
 * Applies pending migrations: verifies keel.sum, takes the runner lock, verifies that no applied
 * migration was edited or removed, resumes a migration that stopped part-way, then applies the
 * pending ones in version order, each in its own transaction where PostgreSQL allows.
 *
 * @example
 * ```ts
 * const result = await migrate({ url: 'postgres://app@localhost/shop', migrationsDir: 'migrations' })
 * console.log(result.applied.map((m) => m.version))
 * ```
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  if (options.dryRun) return dryRun(options, readChecked(options.migrationsDir))
  // Read (giving the event loop turns) while the run's sessions connect, and refused before the lock is taken.
  let reading: Promise<MigrationsDirectory> | undefined
  const whileConnecting = async () => {
    reading = readMigrationsDirectoryYielding(options.migrationsDir, { mustExist: true }).then((directory) => {
      assertSumMatches(directory)
      return directory
    })
    await reading
  }
  return withRunnerSession(
    options.url,
    { ...sessionOptions(options, 'migrate'), whileConnecting },
    async (conn, monitor) => {
      const directory = await (reading ?? readChecked(options.migrationsDir))
      const journal = new Journal(conn, options.journalSchema ?? 'public')
      const entries = await journal.list()
      const states = migrationStates(directory, entries)
      assertHistoryIntact(states)
      const { run, remaining } = selectToRun(states, options)
      if (run.length === 0) return { applied: [], batch: undefined, remaining }
      const [after, batched] = [loadSideBySide(conn, options), await outsideTransaction(conn, options)]
      // Everything that can be refused is refused before the first change, the journal's creation included.
      const journalRun = { conn, journal, listed: entries.length, batched, after, options }
      const prepared = await refuseThenEnsureJournal(journalRun, async () => {
        const prepared = await prepareAll(run, conn.dialect)
        await options.check?.(toRunOf(run, prepared), conn)
        return prepared
      })
      const ctx: ApplyContext = {
        // The journal as read under the runner lock, which every writer of it holds: its batches, without asking again.
        ...applyContext(conn, journal, nextBatchOf(entries), options, batched),
        ...(monitor === undefined ? {} : { monitor }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }
      const applied: AppliedMigration[] = []
      // What was applied is no longer a draft: from now on an edit of it is caught. Also when the run stopped on a
      // failure or a Ctrl-C part-way, for the migrations it applied before.
      const seal = () =>
        sealDrafts(
          directory,
          applied.map((m) => `${m.version}_${m.name}`),
        )
      try {
        await applyAll(ctx, run, prepared, options.signal, applied)
      } catch (error) {
        sealAfter(error, seal, ctx.events)
        throw error
      }
      seal()
      if (applied.length === run.length) return { applied, batch: ctx.batch, remaining }
      const appliedIds = new Set(applied.map((m) => `${m.version}_${m.name}`))
      const notRun = run.filter((state) => !appliedIds.has(state.migration.id)).map((state) => state.migration.id)
      return { applied, batch: ctx.batch, remaining: [...notRun, ...remaining], interrupted: { notRun } }
    },
  )
}

/**
 * Seals keel.sum after the run failed with `error`, which stays the error the run ends with: a sealing that fails
 * too (keel.sum not writable) is said after it, in its hint (a KeelError's) or as a notice (any other), never in
 * its place, where the user would read why keel.sum was not written and not why the migration failed.
 */
function sealAfter(error: unknown, seal: () => void, events: RunnerEvents): void {
  try {
    seal()
  } catch (sealing) {
    const note = `Also, keel.sum could not be updated to seal the migrations this run applied (${sealing instanceof Error ? sealing.message : String(sealing)}): once it can be written, \`keel sum --rehash\` records them.`
    if (error instanceof KeelError) error.addNote(note)
    else events.onNotice?.(note)
  }
}

/** The migrations directory, read and checked against keel.sum. */
function readChecked(migrationsDir: string): MigrationsDirectory {
  const directory = readMigrationsDirectory(migrationsDir, { mustExist: true })
  assertSumMatches(directory)
  return directory
}

export type Runnable = Extract<MigrationState, { kind: 'pending' | 'partial' | 'failed' }>

/**
 * Refuses, without touching a database, what `migrate` would refuse on an empty one: the directory layout,
 * keel.sum, SQL that does not parse, modules that do not load. `reset` calls it before it drops anything.
 */
export async function assertMigratableFromEmpty(migrationsDir: string, dialect: DialectName): Promise<void> {
  const directory = readChecked(migrationsDir)
  await prepareAll(
    directory.migrations.map((migration) => ({ kind: 'pending', migration, outOfOrder: false })),
    dialect,
  )
}

/** The migrations to apply, in version order, honouring `to` and refusing out-of-order ones unless allowed. */
export function selectToRun(
  states: readonly MigrationState[],
  options: Pick<MigrateOptions, 'to' | 'allowOutOfOrder'>,
): { readonly run: readonly Runnable[]; readonly remaining: readonly string[] } {
  const runnable = states.filter(
    (s): s is Runnable => s.kind === 'pending' || s.kind === 'partial' || s.kind === 'failed',
  )
  const limit = options.to === undefined ? undefined : findVersion(states, options.to)
  const run = runnable.filter((s) => limit === undefined || s.migration.version <= limit)
  const outOfOrder = run.filter((s) => s.kind === 'pending' && s.outOfOrder)
  if (outOfOrder.length > 0 && options.allowOutOfOrder !== true) {
    const newest = states.filter((s) => s.kind !== 'pending').at(-1)
    throw new KeelError(
      'OUT_OF_ORDER',
      `pending migrations older than the newest applied one (${newest === undefined ? '?' : idOf(newest)}): ${outOfOrder.map((s) => s.migration.id).join(', ')}`,
    )
  }
  const remaining = runnable.filter((s) => !run.includes(s)).map((s) => s.migration.id)
  return { run, remaining }
}

/** Finds a migration by version or folder name; `to` must name one. */
export function findVersion(states: readonly MigrationState[], to: string): string {
  const found = states.find((s) => s.kind !== 'missing' && (s.migration.version === to || s.migration.id === to))
  if (found === undefined || found.kind === 'missing') {
    throw new KeelError(
      'USAGE',
      `no migration ${to} in the migrations directory`,
      'Give a version (14 digits) or folder name.',
    )
  }
  return found.migration.version
}

/**
 * Starts loading the parser and what `check` needs at once, before the first parse (see preload-parser.ts); settles
 * when the latter has. A failure is left to the parse or the check that needs it, which meets it again and reports it.
 */
function loadSideBySide(conn: Connection, options: Pick<MigrateOptions, 'prepareCheck'>): Promise<unknown> {
  preloadParser(conn.dialect)
  return (options.prepareCheck?.(conn) ?? Promise.resolve()).catch(() => {})
}

/** A migration ready to run: its parsed statements, or its loaded module. */
export type Prepared =
  | { readonly kind: 'sql'; readonly statements: readonly PreparedStatement[] }
  | { readonly kind: 'module'; readonly module: MigrationModule }

/**
 * Parses every SQL migration (and loads every module) that is about to run before any runs, so that
 * a syntax error in the third migration stops the run before the first is applied; checks that a
 * resumed migration's committed statements are unchanged.
 */
async function prepareAll(run: readonly Runnable[], dialect: DialectName): Promise<Map<string, Prepared>> {
  const prepared = new Map<string, Prepared>()
  for (const state of run) {
    const { migration } = state
    if (migration.up.kind === 'module') {
      if (state.kind !== 'pending') throw moduleStopped(migration)
      // Loaded for TypeScript migrations only (with the planner policy db.apply uses): SQL runs never need it.
      const { loadMigrationModule } = await import('./module-migration.js')
      prepared.set(migration.id, {
        kind: 'module',
        module: await loadMigrationModule(migration.up.file, `${migration.id}/migration.ts`),
      })
      continue
    }
    // A turn of the event loop between two files: the check's queries started beside the parse (prepareCheck) make
    // their round trips meanwhile, which a parse that only awaits settled promises would hold until its end.
    await new Promise((resolve) => setImmediate(resolve))
    const statements = await prepareStatements(migration.up.file, migration.up.text, dialect)
    if (state.kind !== 'pending') assertResumable(migration, state.entry, statements)
    prepared.set(migration.id, { kind: 'sql', statements })
  }
  return prepared
}

/** The batch number after every one of `entries` (1 for none): what Journal.nextBatch asks the table. */
function nextBatchOf(entries: readonly JournalEntry[]): number {
  return entries.reduce((max, entry) => Math.max(max, entry.batch), 0) + 1
}

function toRunOf(run: readonly Runnable[], prepared: ReadonlyMap<string, Prepared>): readonly MigrationToRun[] {
  return run.map(({ migration }) => {
    const body = prepared.get(migration.id)
    return { migration, statements: body?.kind === 'sql' ? body.statements : undefined }
  })
}

/** A TypeScript migration run without a transaction stopped part-way: only a person can say how far it got. */
function moduleStopped(migration: Migration): KeelError {
  return new KeelError(
    'PARTIAL_MIGRATION',
    `${migration.id} (a TypeScript migration run without a transaction) stopped part-way; Keel cannot tell how far its code got`,
    `Check the database, then record what happened with \`keel resolve ${migration.version} --applied\` or \`--rolled-back\`.`,
  )
}

async function dryRun(options: MigrateOptions, directory: MigrationsDirectory): Promise<MigrateResult> {
  const conn = options.connection ?? (await openDatabase(options.url, 'keel migrate --dry-run'))
  try {
    const journal = new Journal(conn, options.journalSchema ?? 'public')
    const states = migrationStates(directory, await journal.list())
    assertHistoryIntact(states)
    const { run, remaining } = selectToRun(states, options)
    if (run.length > 0) loadSideBySide(conn, options)
    const prepared = await prepareAll(run, conn.dialect)
    if (run.length > 0) await options.check?.(toRunOf(run, prepared), conn)
    const statements = new Map(
      [...prepared].flatMap(([id, p]) => (p.kind === 'sql' ? [[id, p.statements] as const] : [])),
    )
    const { renderDryRun } = await import('./dry-run.js')
    const sql = renderDryRun(run, statements, {
      lockTimeout: options.lockTimeout ?? defaultLockTimeout(conn.dialect),
      statementTimeout: options.statementTimeout ?? '0',
      journalTable: journal.table,
      dialect: conn.dialect,
    })
    const applied = run.map((s) => ({
      version: s.migration.version,
      name: s.migration.name,
      resumedAt: s.kind === 'pending' ? undefined : s.entry.completedStatements + 1,
      durationMs: 0,
    }))
    return { applied, batch: undefined, remaining, sql }
  } finally {
    if (options.connection === undefined) await conn.close()
  }
}

/** What applying (or reverting) migrations needs; `batched`: see {@link ApplyContext.batched}. */
export function applyContext(
  conn: Connection,
  journal: Journal,
  batch: number,
  options: RunnerOptions,
  batched = false,
): ApplyContext {
  return {
    conn,
    journal,
    batch,
    lockTimeout: options.lockTimeout ?? defaultLockTimeout(conn.dialect),
    statementTimeout: options.statementTimeout ?? '0',
    lockRetries: options.lockRetries ?? Number.POSITIVE_INFINITY,
    lockDeadlineMs: options.lockDeadlineMs ?? DEFAULT_LOCK_DEADLINE_MS,
    events: options.events ?? {},
    batched,
    appliedSetups: new Set(),
  }
}

/**
 * Whether the runner's connection is outside any transaction, so that the runner may send its own
 * BEGIN and COMMIT. A connection the runner opened always is; a caller's connection may be inside the
 * caller's transaction, where the runner's transactions nest as savepoints (the dialect tells which).
 */
async function outsideTransaction(conn: Connection, options: RunnerOptions): Promise<boolean> {
  if (options.connection === undefined) return true
  const inTransaction = runtimeOf(conn.dialect).runner.inTransaction
  return inTransaction === undefined ? false : !(await inTransaction(conn))
}

export function sessionOptions(options: RunnerOptions, command: string) {
  return {
    command: options.command ?? command,
    lockWaitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    ...(options.events?.onLockWait ? { onLockWait: options.events.onLockWait } : {}),
    ...(options.events?.onOrphanWait ? { onOrphanWait: options.events.onOrphanWait } : {}),
    ...(options.connection ? { connection: options.connection } : {}),
    ...(options.lastUse === true ? { lastUse: true } : {}),
  }
}
