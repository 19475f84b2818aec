import { readMigrationsDirectory } from '../../migrate/directory.js'
import { assertSumMatches, verifySum, writeSum } from '../../migrate/keel-sum.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'
import { migrationsLabel } from './migration-options.js'

/** `keel sum [--rehash]`: verifies keel.sum, or rewrites it after a reviewed edit or merge. */
export const registerSum: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('sum').description('verify keel.sum, or rewrite it with --rehash'))
    .option('--rehash', 'rewrite keel.sum from the directory as it is (after review)')
    .action(
      run<{ rehash?: boolean }>(async (ctx, flags) => {
        const directory = readMigrationsDirectory(ctx.config.migrations)
        if (flags.rehash) {
          const before = verifySum(directory)
          const sum = writeSum(directory)
          ctx.out.result({ rehashed: true, total: sum.total, entries: sum.entries.length, changed: before })
          ctx.out.line(
            `Wrote ${migrationsLabel(ctx)}/keel.sum: ${plural(sum.entries.length, 'migration')}${before.length === 0 ? ' (unchanged)' : ''}.`,
          )
          return 0
        }
        assertSumMatches(directory)
        ctx.out.result({ rehashed: false, ok: true, entries: directory.migrations.length })
        ctx.out.line(`keel.sum matches ${plural(directory.migrations.length, 'migration')}.`)
        return 0
      }),
    )
}
