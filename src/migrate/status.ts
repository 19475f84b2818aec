import { assertNever } from '../assert-never.js'
import { KeelError } from '../errors.js'
import { checksumMatches } from './checksum.js'
import type { Migration, MigrationHead, MigrationsDirectory } from './directory.js'
import type { JournalEntry, JournalSummary } from './journal.js'

/**
 * The state of one migration, from the directory and the journal. Migrations are matched by
 * version (their identity), never by a high-water mark. `M`: whole migrations, or their heads (`keel status`); `E`:
 * whole journal rows, or what status shows of them (JournalSummary).
 */
export type MigrationState<M extends MigrationHead = Migration, E extends JournalSummary = JournalEntry> =
  | { readonly kind: 'applied'; readonly migration: M; readonly entry: E }
  /** Not in the journal. `outOfOrder`: older than the newest journaled version (a merged branch). */
  | { readonly kind: 'pending'; readonly migration: M; readonly outOfOrder: boolean }
  /** Stopped part-way: `partial` after an interruption, `failed` after an error. `keel migrate` resumes it. */
  | { readonly kind: 'partial' | 'failed'; readonly migration: M; readonly entry: E }
  /** Applied, but its folder was edited (or renamed) since. */
  | { readonly kind: 'modified'; readonly migration: M; readonly entry: E; readonly reason: string }
  /** In the journal, but no folder has its version. */
  | { readonly kind: 'missing'; readonly entry: E }

/** A state of any migration and journal row, for what reads only what every state has. */
export type AnyMigrationState = MigrationState<MigrationHead, JournalSummary>

/** Every migration's state, in version order. */
export function migrationStates<M extends MigrationHead = Migration, E extends JournalSummary = JournalEntry>(
  directory: MigrationsDirectory<M>,
  journal: readonly E[],
): readonly MigrationState<M, E>[] {
  const entries = new Map(journal.map((e) => [e.version, e]))
  const newest = journal.reduce<string | undefined>(
    (max, e) => (max === undefined || e.version > max ? e.version : max),
    undefined,
  )
  const states: MigrationState<M, E>[] = []
  for (const migration of directory.migrations) {
    const entry = entries.get(migration.version)
    entries.delete(migration.version)
    if (entry === undefined) {
      states.push({ kind: 'pending', migration, outOfOrder: newest !== undefined && migration.version < newest })
    } else if (entry.status !== 'applied') {
      states.push({ kind: entry.status, migration, entry })
    } else if (entry.name !== migration.name) {
      states.push({
        kind: 'modified',
        migration,
        entry,
        reason: `applied as ${entry.version}_${entry.name}, now named ${migration.id}`,
      })
    } else if (!checksumMatches(entry.checksum, filesOf(migration), migration.checksum)) {
      states.push({ kind: 'modified', migration, entry, reason: `${migration.id} was edited after it was applied` })
    } else {
      states.push({ kind: 'applied', migration, entry })
    }
  }
  // The directory is in version order already: only a missing migration's entry needs sorting in.
  if (entries.size === 0) return states
  for (const entry of entries.values()) states.push({ kind: 'missing', entry })
  return states.sort((a, b) => (versionOf(a) < versionOf(b) ? -1 : versionOf(a) > versionOf(b) ? 1 : 0))
}

/**
 * The files of a whole migration, for a checksum in another algorithm than the current one; a head has none (its
 * checksum is the current algorithm's, and while Keel knows no other, a journal's checksum in another is refused
 * either way: see checksumMatches).
 */
function filesOf(migration: MigrationHead): Migration['files'] | undefined {
  return 'files' in migration ? (migration as Migration).files : undefined
}

export function versionOf(state: AnyMigrationState): string {
  return state.kind === 'missing' ? state.entry.version : state.migration.version
}

export function idOf(state: AnyMigrationState): string {
  return state.kind === 'missing' ? `${state.entry.version}_${state.entry.name}` : state.migration.id
}

/**
 * Throws when the journal and the directory disagree about what was applied: an edited applied
 * migration (CHECKSUM_MISMATCH) or a missing one (MISSING_MIGRATION). `keel migrate` and `keel
 * rollback` call this before doing anything, so that an edit never goes unnoticed until `keel check`.
 */
export function assertHistoryIntact(states: readonly MigrationState[]): void {
  const modified = states.filter((s) => s.kind === 'modified')
  if (modified.length > 0) {
    throw new KeelError(
      'CHECKSUM_MISMATCH',
      modified.map((s) => s.reason).join('\n  '),
      modified.length === 1
        ? `Restore ${idOf(modified[0] as MigrationState)} from version control, or after review accept the edit with \`keel resolve ${versionOf(modified[0] as MigrationState)} --applied\`.`
        : 'Restore the applied migrations from version control, or after review accept each edit with `keel resolve VERSION --applied`.',
    )
  }
  const missing = states.filter((s) => s.kind === 'missing')
  if (missing.length > 0) {
    throw new KeelError(
      'MISSING_MIGRATION',
      `applied but not in the migrations directory: ${missing.map(idOf).join(', ')}`,
    )
  }
}

/** A one-line description of a state, for `keel status`. */
export function describeState(state: AnyMigrationState): string {
  switch (state.kind) {
    case 'applied':
      return `applied ${state.entry.appliedAt.toISOString()} (batch ${state.entry.batch}, ${state.entry.durationMs}ms${state.entry.origin === 'migrate' ? '' : `, by ${state.entry.origin}`})${state.entry.error ? `; last rollback failed: ${firstLine(state.entry.error)}` : ''}`
    case 'pending':
      return state.outOfOrder ? 'pending, out of order (older than the newest applied migration)' : 'pending'
    case 'partial':
    case 'failed': {
      const at = describeStop(state.kind, state.entry)
      if (state.entry.error) return `${at}: ${firstLine(state.entry.error)}`
      return state.entry.origin === 'resolve'
        ? `${at} (by keel resolve; migrate resumes after it)`
        : `${at} (interrupted)`
    }
    case 'modified':
      return `CHANGED after it was applied: ${state.reason}`
    case 'missing':
      return 'MISSING: applied, but its folder is gone'
    default:
      return assertNever(state)
  }
}

/**
 * Where a migration stopped, counted as a user counts: the journal records how many statements are
 * committed, so a failure happened at the statement after those (`failed at statement 3 of 4, 2
 * committed`), and an interruption leaves that many committed.
 */
export function describeStop(
  kind: 'partial' | 'failed',
  entry: { completedStatements: number; totalStatements?: number | undefined; error?: string | null | undefined },
): string {
  const done = entry.completedStatements
  // A TypeScript migration has no statements to count.
  if (entry.totalStatements === undefined && done === 0) return kind
  const total = entry.totalStatements === undefined ? '' : ` of ${entry.totalStatements}`
  if (kind === 'failed' || entry.error) return `${kind} at statement ${done + 1}${total} (${done} committed)`
  return `${kind}: ${done}${total} statements committed`
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? ''
}
