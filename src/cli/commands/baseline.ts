import { baseline } from '../../migrate/baseline.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'
import { type LockFlags, runnerOptionsOf, withLockOptions } from './migration-options.js'

/** `keel baseline [--to VERSION]`: adopts an existing database by marking migrations applied without running them. */
export const registerBaseline: RegisterCommand = (program, run) => {
  withLockOptions(
    withGlobalOptions(
      program
        .command('baseline')
        .description('adopt an existing database: mark migrations as applied without running them'),
    ),
  )
    .option('--to <version>', 'mark migrations up to and including this version (default: all)')
    .action(
      run<LockFlags & { to?: string }>(async (ctx, flags) => {
        const result = await baseline({
          ...runnerOptionsOf(ctx, flags, 'baseline'),
          ...(flags.to ? { to: flags.to } : {}),
        })
        ctx.out.result({ marked: result.marked })
        if (result.marked.length === 0) ctx.out.line('Nothing to baseline: no pending migrations in range.')
        else {
          for (const id of result.marked) ctx.out.line(`  marked ${id} as applied`)
          ctx.out.line(`Marked ${plural(result.marked.length, 'migration')} as applied without running them.`)
        }
        return 0
      }),
    )
}
