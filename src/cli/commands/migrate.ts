import { type MigrateResult, migrate } from '../../migrate/runner.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { type LockFlags, plural, runnerOptionsOf, withLockOptions } from './migration-options.js'

interface MigrateFlags extends LockFlags {
  readonly to?: string
  readonly dryRun?: boolean
  readonly allowOutOfOrder?: boolean
}

/** `keel migrate [--to VERSION] [--dry-run] [--allow-out-of-order]`: applies pending migrations. */
export const registerMigrate: RegisterCommand = (program, run) => {
  withLockOptions(withGlobalOptions(program.command('migrate').description('apply pending migrations')))
    .option('--to <version>', 'apply up to and including this version')
    .option('--dry-run', 'print the SQL that would run, without running it')
    .option('--allow-out-of-order', 'also apply pending migrations older than the newest applied one')
    .action(run<MigrateFlags>((ctx, flags) => runMigrate(ctx, flags)))
}

async function runMigrate(ctx: CommandContext, flags: MigrateFlags): Promise<number> {
  const started = performance.now()
  const result = await migrate({
    ...runnerOptionsOf(ctx, flags, 'migrate'),
    ...(flags.to === undefined ? {} : { to: flags.to }),
    ...(flags.dryRun ? { dryRun: true } : {}),
    ...(flags.allowOutOfOrder ? { allowOutOfOrder: true } : {}),
  })
  ctx.out.result(toJson(result, flags.dryRun === true))
  if (flags.dryRun) {
    ctx.out.line(result.applied.length === 0 ? '-- nothing to migrate' : (result.sql ?? ''))
    return 0
  }
  const ms = Math.round(performance.now() - started)
  if (result.applied.length === 0) ctx.out.line('Nothing to migrate: the database is up to date.')
  else {
    for (const m of result.applied) {
      const resumed = m.resumedAt === undefined ? '' : ` (resumed at statement ${m.resumedAt})`
      ctx.out.line(`  applied ${m.version}_${m.name}${resumed} in ${Math.round(m.durationMs)} ms`)
    }
    ctx.out.line(`Applied ${plural(result.applied.length, 'migration')} (batch ${result.batch}) in ${ms} ms.`)
  }
  if (result.remaining.length > 0)
    ctx.out.line(`${plural(result.remaining.length, 'migration')} left pending after --to.`)
  return 0
}

function toJson(result: MigrateResult, dryRun: boolean): unknown {
  return {
    dryRun,
    applied: result.applied.map((m) => ({
      ...m,
      resumedAt: m.resumedAt ?? null,
      durationMs: Math.round(m.durationMs),
    })),
    batch: result.batch ?? null,
    remaining: result.remaining,
    ...(dryRun ? { sql: result.sql ?? '' } : {}),
  }
}
