import type { Connection } from '../db/connection.js'
import type { DialectName } from '../dialect/registry.js'
import type { StatementEffect } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { appliedRow } from './baseline.js'
import { chainStatementHashes, committedStatementsProof } from './checksum.js'
import { readMigrationsDirectory } from './directory.js'
import { Journal, type JournalEntry, type JournalWrite } from './journal.js'
import { prepareStatements } from './prepare-statements.js'
import type { RunnerOptions } from './runner.js'
import { sessionOptions } from './runner.js'
import { withRunnerSession } from './session.js'
import { describeState, idOf, type MigrationState, migrationStates } from './status.js'

export interface ResolveOptions extends RunnerOptions {
  readonly version: string
  /**
   * `applied`: record the migration as fully applied. `rolled-back`: remove its journal row. A number
   * N: statements 1..N of its up.sql have taken effect and the rest have not, so that `keel migrate`
   * resumes at N+1 (for a statement that ran outside a transaction whose effect Keel cannot see).
   */
  readonly decision: 'applied' | 'rolled-back' | { readonly through: number }
  /** Receives what the live schema says before the decision is recorded. */
  readonly onReport?: (report: ResolveReport) => void
}

/** What Keel knows about a migration before a person's decision is recorded. */
export interface ResolveReport {
  readonly id: string
  readonly state: string
  readonly entry: JournalEntry | undefined
  /** Why the dialect cannot judge statements from the catalog (SQLite); then every `effect` is undefined. */
  readonly effectsUnknown?: string
  readonly statements: readonly {
    readonly number: number
    readonly location: string
    readonly sql: string
    /** Whether the journal counts it among the committed statements. */
    readonly journaled: boolean
    /** What the catalog says about its effect; undefined when Keel cannot tell. */
    readonly effect: StatementEffect | undefined
  }[]
}

export interface ResolveResult {
  readonly report: ResolveReport
  readonly action: 'marked-applied' | 'marked-partial' | 'removed' | 'unchanged'
}

/**
 * Records a person's decision about a migration (usually one that stopped part-way): `applied` writes
 * a complete journal row with the file's current checksum (also the way to accept a reviewed edit of
 * an applied migration); `rolled-back` removes the row, so that `keel migrate` runs it again from the
 * start. Before that, it reports what the live schema says about each statement's effect.
 */
export async function resolve(options: ResolveOptions): Promise<ResolveResult> {
  const directory = readMigrationsDirectory(options.migrationsDir)
  return withRunnerSession(options.url, sessionOptions(options, 'resolve'), async (conn) => {
    const journal = new Journal(conn, options.journalSchema ?? 'public')
    await journal.ensure()
    const states = migrationStates(directory, await journal.list())
    const state = states.find(
      (s) =>
        (s.kind === 'missing' ? s.entry.version : s.migration.version) === options.version ||
        idOf(s) === options.version,
    )
    if (state === undefined)
      throw new KeelError('USAGE', `no migration ${options.version} in the directory or the journal`)
    const report = await inspect(conn, state)
    options.onReport?.(report)
    const entry = state.kind === 'pending' ? undefined : state.entry
    if (options.decision === 'rolled-back') {
      if (entry === undefined) return { report, action: 'unchanged' }
      await journal.remove(entry.version)
      return { report, action: 'removed' }
    }
    if (state.kind === 'missing') {
      throw new KeelError('MISSING_MIGRATION', `${idOf(state)} has no folder: Keel cannot record it as applied`)
    }
    const batch = entry?.batch ?? (await journal.nextBatch())
    if (typeof options.decision === 'object') {
      const row = await throughRow(state, options.decision.through, batch, conn.dialect)
      if (entry === undefined) await journal.insert(row)
      else await journal.update(row, entry.completedStatements)
      return { report, action: row.status === 'applied' ? 'marked-applied' : 'marked-partial' }
    }
    if (state.kind === 'applied' && state.entry.error === undefined) return { report, action: 'unchanged' }
    const row = await appliedRow(state.migration, batch, 'resolve', conn.dialect)
    if (entry === undefined) await journal.insert(row)
    else await journal.update(row, entry.completedStatements)
    return { report, action: 'marked-applied' }
  })
}

/**
 * The row for `--through N`: statements 1..N committed, by a person's word. `partial` (unless N is all of
 * them) with origin `resolve`, which the runner reads as a decision, not an interruption: it resumes at
 * N+1 without asking the catalog whether N+1 ran.
 */
async function throughRow(
  state: Exclude<MigrationState, { kind: 'missing' }>,
  through: number,
  batch: number,
  dialect: DialectName,
): Promise<JournalWrite> {
  const { migration } = state
  if (migration.up.kind !== 'sql') {
    throw new KeelError(
      'USAGE',
      `${migration.id} is a TypeScript migration: Keel cannot resume it part-way`,
      `Record it with \`keel resolve ${migration.version} --applied\` or \`--rolled-back\`.`,
    )
  }
  const statements = await prepareStatements(migration.up.file, migration.up.text, dialect)
  const committed = state.kind === 'pending' ? 0 : state.entry.completedStatements
  if (!Number.isInteger(through) || through < committed || through > statements.length) {
    throw new KeelError(
      'USAGE',
      `--through ${through}: ${migration.id} has ${statements.length} statements, of which the journal counts ${committed} as committed`,
      `Give a number from ${committed} to ${statements.length}: statements the journal counts committed their effect together with it.`,
    )
  }
  const row = await appliedRow(migration, batch, 'resolve', dialect)
  return {
    ...row,
    status: through === statements.length ? 'applied' : 'partial',
    completedStatements: through,
    statementHashes: committedStatementsProof(chainStatementHashes(statements.map((s) => s.hash)), through),
  }
}

async function inspect(conn: Connection, state: MigrationState): Promise<ResolveReport> {
  const entry = state.kind === 'pending' ? undefined : state.entry
  const base = { id: idOf(state), state: describeState(state), entry }
  if (state.kind === 'missing' || state.migration.up.kind !== 'sql') return { ...base, statements: [] }
  const statements = await prepareStatements(state.migration.up.file, state.migration.up.text, conn.dialect)
  const { effectOf, effectsUnknown } = runtimeOf(conn.dialect).runner
  const committed = entry?.completedStatements ?? 0
  const rows = []
  for (const s of statements) {
    rows.push({
      number: s.index + 1,
      location: `${s.file}:${s.line}`,
      sql: s.sql.split('\n')[0] ?? '',
      journaled: s.index < committed,
      effect: effectOf === undefined ? undefined : await effectOf(conn, s).catch(() => undefined),
    })
  }
  return { ...base, ...(effectsUnknown === undefined ? {} : { effectsUnknown }), statements: rows }
}
