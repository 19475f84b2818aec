import type { DialectName } from '../dialect/registry.js'
import { KeelError } from '../errors.js'
import { parseDirectives } from './directives.js'
import { type Migration, readMigrationsDirectory } from './directory.js'
import { Journal, type JournalEntry } from './journal.js'
import { assertSumMatches, markDrafts } from './keel-sum.js'
import { loadMigrationModule } from './module-migration.js'
import { type PreparedStatement, prepareStatements } from './prepare-statements.js'
import { noDown, revertModule, revertSql } from './revert-migration.js'
import { applyContext, findVersion, type RunnerOptions, sessionOptions } from './runner.js'
import { withRunnerSession } from './session.js'
import { assertHistoryIntact, idOf, type MigrationState, migrationStates } from './status.js'

export interface RollbackOptions extends RunnerOptions {
  /** Roll back this many migrations, latest applied first. */
  readonly steps?: number
  /** Roll back every migration applied after this version (which stays applied). */
  readonly to?: string
}

export interface RollbackResult {
  readonly rolledBack: readonly { readonly version: string; readonly name: string; readonly durationMs: number }[]
}

type Applied = Extract<MigrationState, { kind: 'applied' }>

/**
 * Runs `down` of the latest applied migrations (default: the last batch run by `keel migrate`; `steps`: that many; `to`:
 * everything applied after that version) in reverse order of application, each removing its journal
 * row in the same transaction. Every migration to roll back is checked for a down before any runs.
 */
export async function rollback(options: RollbackOptions): Promise<RollbackResult> {
  if (options.steps !== undefined && options.to !== undefined)
    throw new KeelError('USAGE', 'give --steps or --to, not both')
  if (options.steps !== undefined && (!Number.isInteger(options.steps) || options.steps < 1)) {
    throw new KeelError('USAGE', `--steps needs a positive whole number (got ${options.steps})`)
  }
  const directory = readMigrationsDirectory(options.migrationsDir)
  assertSumMatches(directory)
  return withRunnerSession(options.url, sessionOptions(options, 'rollback'), async (conn) => {
    const journal = new Journal(conn, options.journalSchema ?? 'public')
    const states = migrationStates(directory, await journal.list())
    assertHistoryIntact(states)
    const unfinished = states.filter((s) => s.kind === 'partial' || s.kind === 'failed')
    if (unfinished.length > 0) {
      throw new KeelError(
        'PARTIAL_MIGRATION',
        `${unfinished.map(idOf).join(', ')} stopped part-way; roll back only from a consistent state`,
        'Finish it with `keel migrate`, or record a decision with `keel resolve VERSION --applied|--rolled-back`.',
      )
    }
    const targets = selectTargets(states, options)
    const downs = await prepareDowns(
      targets.map((t) => t.migration),
      conn.dialect,
    )
    const ctx = applyContext(conn, journal, 0, options)
    const rolledBack: RollbackResult['rolledBack'][number][] = []
    for (const target of targets) {
      const started = performance.now()
      const down = downs.get(target.migration.id)
      if (down === undefined) await revertModule(ctx, target.migration)
      else await revertSql(ctx, target.migration, down.statements, down.noTransaction)
      rolledBack.push({
        version: target.migration.version,
        name: target.migration.name,
        durationMs: performance.now() - started,
      })
    }
    // Rolled back, a migration is unapplied work again (Knex's rollback, edit, migrate): a draft once more.
    markDrafts(
      directory,
      rolledBack.map((m) => `${m.version}_${m.name}`),
    )
    return { rolledBack }
  })
}

/** The applied migrations to roll back, latest applied first. */
export function selectTargets(
  states: readonly MigrationState[],
  options: Pick<RollbackOptions, 'steps' | 'to'>,
): readonly Applied[] {
  const applied = states
    .filter((s): s is Applied => s.kind === 'applied')
    .sort((a, b) => byApplication(b.entry, a.entry))
  if (options.to !== undefined) {
    const to = /^\d{14}$/.test(options.to) ? options.to : findVersion(states, options.to)
    return applied.filter((s) => s.migration.version > to)
  }
  if (options.steps !== undefined) return applied.slice(0, options.steps)
  // The default never reaches migrations recorded by `keel baseline`: their down would drop objects
  // that existed before Keel did. --steps and --to may name them explicitly.
  const run = applied.filter((s) => s.entry.origin !== 'baseline')
  const lastBatch = run.reduce((max, s) => Math.max(max, s.entry.batch), 0)
  return run.filter((s) => s.entry.batch === lastBatch)
}

/** Orders journal rows by when they were applied, then by version. */
function byApplication(a: JournalEntry, b: JournalEntry): number {
  const time = a.appliedAt.getTime() - b.appliedAt.getTime()
  return time !== 0 ? time : a.version < b.version ? -1 : a.version > b.version ? 1 : 0
}

interface PreparedDown {
  readonly statements: readonly PreparedStatement[]
  readonly noTransaction: boolean
}

/** Parses every down before any runs; a missing down is NO_DOWN before anything changes. */
async function prepareDowns(
  migrations: readonly Migration[],
  dialect: DialectName,
): Promise<Map<string, PreparedDown>> {
  const downs = new Map<string, PreparedDown>()
  for (const migration of migrations) {
    if (migration.up.kind === 'module') {
      const mod = await loadMigrationModule(migration.up.file, `${migration.id}/migration.ts`)
      if (mod.down === undefined) throw noDown(migration)
      continue
    }
    const down = migration.down
    if (down === undefined || down.kind !== 'sql') throw noDown(migration)
    downs.set(migration.id, {
      statements: await prepareStatements(down.file, down.text, dialect),
      noTransaction: parseDirectives(down.text, `${migration.id}/down.sql`).noTransaction,
    })
  }
  return downs
}
