import type { Connection } from '../db/connection.js'
import { KeelError } from '../errors.js'
import { type MigrationToReplay, readMigrationsToReplay } from './directory.js'
import { loadMigrationModule, migrationDb } from './module-migration.js'
import {
  execStatement,
  groupStatements,
  isRefusedInTransaction,
  prepareStatements,
  StatementFailure,
  type Unit,
} from './prepare-statements.js'
import { batchStatements, inBatches } from './statement-batch.js'

export interface ReplayOptions {
  /** Replay only the migrations this accepts (e.g. the applied ones, to compare with a live database). */
  readonly only?: (migration: MigrationToReplay) => boolean
  /** Called before each migration. */
  readonly onMigration?: (migration: MigrationToReplay, index: number, total: number) => void
}

/**
 * Applies every migration's up, in version order, to a scratch database: no journal, no lock, no
 * timeouts. Used by `keel generate` and `keel check`, and by the source loader for a migrations
 * directory SRC. A failure names the migration, file and line.
 */
export async function replayMigrations(conn: Connection, dir: string, options: ReplayOptions = {}): Promise<void> {
  // Their up alone: a replay runs no down and checks no checksum (keel.sum is the commands' to check).
  const migrations = readMigrationsToReplay(dir).filter((m) => options.only?.(m) ?? true)
  for (const [i, migration] of migrations.entries()) {
    options.onMigration?.(migration, i, migrations.length)
    await replayMigration(conn, migration)
  }
}

/** Applies one migration's up, as read already, to a scratch database (see replayMigrations). */
export async function replayMigration(conn: Connection, migration: MigrationToReplay): Promise<void> {
  if (migration.up.kind === 'module') return replayModule(conn, migration)
  const statements = await prepareStatements(migration.up.file, migration.up.text, conn.dialect)
  for (const unit of groupStatements(statements, migration.directives.noTransaction))
    await replayUnit(conn, migration, unit, migration.directives.noTransaction)
}

/**
 * A transactional unit is sent in one round trip; only when it fails is it run again statement by
 * statement (it was rolled back, and this is a scratch database) to find the statement to blame.
 */
async function replayUnit(
  conn: Connection,
  migration: MigrationToReplay,
  unit: Unit,
  noTransaction: boolean,
): Promise<void> {
  try {
    if (unit.kind === 'alone') return await execStatement(conn, unit.statement)
    try {
      await conn.transaction(async (tx) => {
        for (const run of inBatches(unit.statements)) await tx.exec(batchStatements('', run).text)
      })
    } catch (error) {
      // See isRefusedInTransaction: in a no-transaction migration, such a statement runs alone.
      const [only] = unit.statements
      if (
        noTransaction &&
        only !== undefined &&
        unit.statements.length === 1 &&
        isRefusedInTransaction(conn.dialect, error)
      )
        return await execStatement(conn, only)
      await conn.transaction(async (tx) => {
        for (const statement of unit.statements) await execStatement(tx, statement)
      })
    }
  } catch (error) {
    throw replayError(migration, error)
  }
}

async function replayModule(conn: Connection, migration: MigrationToReplay): Promise<void> {
  if (migration.up.kind !== 'module') return
  const mod = await loadMigrationModule(migration.up.file, `${migration.id}/migration.ts`)
  try {
    if (migration.directives.noTransaction) await mod.up(migrationDb(conn))
    else await conn.transaction((tx) => Promise.resolve(mod.up(migrationDb(tx))))
  } catch (error) {
    throw replayError(migration, error)
  }
}

function replayError(migration: MigrationToReplay, error: unknown): unknown {
  if (error instanceof KeelError) return error
  const message =
    error instanceof StatementFailure
      ? error.located().message
      : `${migration.id}: ${error instanceof Error ? error.message : String(error)}`
  return new KeelError(
    'MIGRATION_FAILED',
    `replaying ${migration.id} on a scratch database failed at ${message}`,
    'Fix the migration; it does not apply to an empty database.',
    {
      cause: error instanceof StatementFailure ? error.cause : error,
    },
  )
}
