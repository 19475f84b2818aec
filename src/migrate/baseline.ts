import type { Connection } from '../db/connection.js'
import type { DialectName } from '../dialect/registry.js'
import { KeelError } from '../errors.js'
import { chainStatementHashes, committedStatementsProof } from './checksum.js'
import { type Migration, readMigrationsDirectory } from './directory.js'
import { Journal, type JournalWrite } from './journal.js'
import { assertSumMatches } from './keel-sum.js'
import { prepareStatements } from './prepare-statements.js'
import { findVersion, type RunnerOptions, sessionOptions } from './runner.js'
import { withRunnerSession } from './session.js'
import { assertHistoryIntact, migrationStates } from './status.js'

export interface BaselineOptions extends RunnerOptions {
  /** Mark migrations up to and including this version; default every migration in the directory. */
  readonly to?: string
  /**
   * Chooses which pending migrations (in range) to mark, reading the database; default all of them.
   * `keel baseline --from-peer` passes the imported migrations the tool they came from applied.
   */
  readonly select?: (conn: Connection, pending: readonly Migration[]) => Promise<readonly Migration[]>
}

/**
 * Adopts an existing database: records pending migrations (up to `to`) as applied without running
 * them, in one transaction. For a database that already holds what those migrations create.
 */
export async function baseline(options: BaselineOptions): Promise<{ readonly marked: readonly string[] }> {
  const directory = readMigrationsDirectory(options.migrationsDir)
  assertSumMatches(directory)
  return withRunnerSession(options.url, sessionOptions(options, 'baseline'), async (conn) => {
    const journal = new Journal(conn, options.journalSchema ?? 'public')
    await journal.ensure()
    const states = migrationStates(directory, await journal.list())
    assertHistoryIntact(states)
    const limit = options.to === undefined ? undefined : findVersion(states, options.to)
    const inRange = states.filter((s) => s.kind !== 'missing' && (limit === undefined || s.migration.version <= limit))
    const unfinished = inRange.filter((s) => s.kind === 'partial' || s.kind === 'failed')
    if (unfinished.length > 0) {
      throw new KeelError(
        'PARTIAL_MIGRATION',
        `cannot baseline over migrations that stopped part-way: ${unfinished.map((s) => (s.kind === 'missing' ? '' : s.migration.id)).join(', ')}`,
        'Record a decision for each with `keel resolve VERSION --applied|--rolled-back` first.',
      )
    }
    const inRangePending = inRange.flatMap((s) => (s.kind === 'pending' ? [s.migration] : []))
    const pending = options.select === undefined ? inRangePending : await options.select(conn, inRangePending)
    if (pending.length === 0) return { marked: [] }
    const batch = await journal.nextBatch()
    const rows = await Promise.all(pending.map((m) => appliedRow(m, batch, 'baseline', conn.dialect)))
    await conn.transaction(async () => {
      for (const row of rows) await journal.insert(row)
    })
    return { marked: pending.map((m) => m.id) }
  })
}

/** A journal row saying `migration` is applied in full, written by baseline or resolve rather than run. */
export async function appliedRow(
  migration: Migration,
  batch: number,
  origin: 'baseline' | 'resolve',
  dialect: DialectName,
): Promise<JournalWrite> {
  const statements =
    migration.up.kind === 'sql' ? await prepareStatements(migration.up.file, migration.up.text, dialect) : []
  return {
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    status: 'applied',
    batch,
    durationMs: 0,
    completedStatements: statements.length,
    totalStatements: migration.up.kind === 'sql' ? statements.length : undefined,
    statementHashes: committedStatementsProof(chainStatementHashes(statements.map((s) => s.hash)), statements.length),
    error: undefined,
    failedStatement: undefined,
    origin,
  }
}
