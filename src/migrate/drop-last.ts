import { rmSync } from 'node:fs'
import { KeelError } from '../errors.js'
import { type Migration, readMigrationsDirectory } from './directory.js'
import type { JournalSummary } from './journal.js'
import { assertSumMatches, sumDrafts, writeSum } from './keel-sum.js'
import type { MigrationState } from './status.js'

/**
 * The newest migration, if nothing Keel can see has applied it: it must be a draft in keel.sum (`keel migrate`
 * seals what it applies, `keel sum --rehash` what was reviewed; either means another database or a reviewer may
 * rely on it) and absent from the journal of the database at hand (applied, failed or stopped part-way alike).
 * Throws MIGRATION_APPLIED naming which, and what to do instead. `states`: the migrations against that
 * database's journal (none applied when the database does not exist yet).
 */
export function droppableLast(
  migrationsDir: string,
  states: readonly MigrationState<Migration, JournalSummary>[],
  database: string,
): Migration {
  const directory = readMigrationsDirectory(migrationsDir)
  // A merge or a hand edit that keel.sum does not know yet is reported as such, not dropped over.
  assertSumMatches(directory)
  const last = directory.migrations.at(-1)
  if (last === undefined) throw new KeelError('NOTHING_TO_DO', `${migrationsDir} holds no migration to drop`)
  const state = states.find((s) => s.kind !== 'missing' && s.migration.id === last.id)
  if (state !== undefined && state.kind !== 'pending') {
    const how = state.kind === 'partial' || state.kind === 'failed' ? `was started (${state.kind})` : 'was applied'
    throw new KeelError(
      'MIGRATION_APPLIED',
      `${last.id} ${how} on ${database}: dropping its files would leave that database with a change no migration describes`,
      '`keel rollback` first (it runs its down and makes it a draft again), or write a new migration that changes what it did.',
    )
  }
  if (!sumDrafts(directory).has(last.id)) {
    throw new KeelError(
      'MIGRATION_APPLIED',
      `${last.id} is sealed in keel.sum: it was applied somewhere (keel migrate seals what it applies) or reviewed (keel sum --rehash)`,
      'Write a new migration that changes what it did; if it only ever ran on your own database, `keel rollback` it there first.',
    )
  }
  return last
}

/** Deletes the migration's folder and its keel.sum line, keeping the other drafts drafts. */
export function dropMigration(migrationsDir: string, migration: Migration): void {
  // One reading for keel.sum's drafts and for the sum written: the directory as it is, less the folder deleted.
  const directory = readMigrationsDirectory(migrationsDir)
  const drafts = sumDrafts(directory)
  rmSync(migration.dir, { recursive: true, force: true })
  const migrations = directory.migrations.filter((m) => m.id !== migration.id)
  writeSum({ ...directory, migrations }, new Set([...drafts].filter((id) => id !== migration.id)))
}
