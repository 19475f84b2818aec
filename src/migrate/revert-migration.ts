import { KeelError } from '../errors.js'
import type { ApplyContext } from './apply-migration.js'
import { setupFor, withMigrationBudget } from './apply-migration.js'
import type { Migration } from './directory.js'
import { withLockRetries } from './lock-retry.js'
import { loadMigrationModule, migrationDb } from './module-migration.js'
import {
  execStatement,
  execUnit,
  groupStatements,
  type PreparedStatement,
  StatementFailure,
  unitStatements,
} from './prepare-statements.js'

/**
 * Runs a SQL migration's down and removes its journal row. When every statement of down can run in a
 * transaction (the usual case), they and the row's removal commit together. Otherwise the units run
 * in order and the row goes after the last one; a failure part-way leaves the row `applied` with the
 * error recorded, which `keel status` shows.
 */
export async function revertSql(
  runCtx: ApplyContext,
  migration: Migration,
  statements: readonly PreparedStatement[],
  noTransaction: boolean,
): Promise<void> {
  const ctx = withMigrationBudget(runCtx, migration)
  const started = performance.now()
  ctx.events.onStart?.(migration, 'down', undefined)
  await ctx.conn.exec(setupFor(ctx, migration))
  const units = groupStatements(statements, noTransaction)
  let done = 0
  try {
    // Under `-- keel:no-transaction` each statement commits on its own, as in up.
    if (!noTransaction && units.every((unit) => unit.kind === 'transaction')) {
      await withLockRetries(ctx, () =>
        ctx.conn.transaction(async (tx) => {
          for (const statement of statements) await execStatement(tx, statement)
          await ctx.journal.remove(migration.version)
        }),
      )
    } else {
      for (const unit of units) {
        await withLockRetries(ctx, () => execUnit(ctx.conn, unit, noTransaction))
        done += unitStatements(unit).length
      }
      await ctx.journal.remove(migration.version)
    }
  } catch (error) {
    if (!(error instanceof StatementFailure)) throw error
    const located = error.located()
    const partly = done > 0
    if (partly) {
      const note = `rollback failed after ${done} of ${statements.length} down statements: ${located.message}`
      await ctx.journal
        .recordError(migration.version, note, `${error.statement.file}:${error.statement.line}: ${error.statement.sql}`)
        .catch(() => {})
    }
    throw new KeelError(
      'MIGRATION_FAILED',
      `rolling back ${migration.id} failed at ${located.message}` +
        (partly
          ? `\n  ${done} of ${statements.length} down statements are committed; the migration is still recorded as applied`
          : '\n  nothing was rolled back'),
      partly
        ? 'Fix the cause and make down.sql safe to run again (IF EXISTS), then run `keel rollback` again.'
        : 'Fix down.sql and run `keel rollback` again.',
      { cause: error.cause },
    )
  }
  ctx.events.onDone?.(migration, 'down', performance.now() - started)
}

/** Runs a TypeScript migration's down(db) and removes its journal row, in one transaction unless `// keel:no-transaction`. */
export async function revertModule(ctx: ApplyContext, migration: Migration): Promise<void> {
  if (migration.up.kind !== 'module') throw new Error('revertModule needs a module migration')
  const mod = await loadMigrationModule(migration.up.file, `${migration.id}/migration.ts`)
  const down = mod.down
  if (down === undefined) throw noDown(migration)
  const started = performance.now()
  ctx.events.onStart?.(migration, 'down', undefined)
  await ctx.conn.exec(setupFor(ctx, migration))
  try {
    if (migration.directives.noTransaction) {
      await down(migrationDb(ctx.conn))
      await ctx.journal.remove(migration.version)
    } else {
      await ctx.conn.transaction(async (tx) => {
        await down(migrationDb(tx))
        await ctx.journal.remove(migration.version)
      })
    }
  } catch (error) {
    if (error instanceof KeelError) throw error
    const message = `${migration.id}/migration.ts: down failed: ${error instanceof Error ? error.message : String(error)}`
    throw new KeelError('MIGRATION_FAILED', message, 'Fix down(db) and run `keel rollback` again.', { cause: error })
  }
  ctx.events.onDone?.(migration, 'down', performance.now() - started)
}

export function noDown(migration: Migration): KeelError {
  const module = migration.up.kind === 'module'
  return new KeelError(
    'NO_DOWN',
    `${migration.id} has no ${module ? 'down(db) export' : 'down.sql'}: it cannot be rolled back`,
    module ? 'Export `async function down(db)` from the migration module to make it reversible.' : undefined,
  )
}
