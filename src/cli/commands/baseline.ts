import { baseline } from '../../migrate/baseline.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'
import { describeTarget } from '../format/target.js'
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
    .option(
      '--from-peer',
      'mark only the imported migrations that their tool recorded as applied in its own table (_prisma_migrations, schema_migrations, flyway_schema_history, ...)',
    )
    .action(
      run<LockFlags & { to?: string; fromPeer?: boolean }>(async (ctx, flags) => {
        ctx.out.progress(`baselining ${describeTarget(ctx.target, ctx.cwd)}`)
        const select = flags.fromPeer ? (await import('../../interop/import/peer-journal.js')).peerApplied : undefined
        const result = await baseline({
          ...runnerOptionsOf(ctx, flags, 'baseline'),
          ...(flags.to ? { to: flags.to } : {}),
          ...(select === undefined ? {} : { select }),
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
