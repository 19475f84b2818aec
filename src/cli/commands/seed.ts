import { runSeeds } from '../../migrate/seed.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'
import { describeTarget } from '../format/target.js'
import { type LockFlags, parseDurationMs } from './migration-options.js'

/** `keel seed`: runs the seed files of the seeds directory, in name order, each in a transaction. */
export const registerSeed: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program.command('seed').description('run the seed files (seeds/*.sql, seeds/*.ts exporting seed(db))'),
  )
    .option('--lock-wait <duration>', 'how long to wait for a migration runner')
    .action(
      run<LockFlags>(async (ctx, flags) => {
        ctx.out.progress(`seeding ${describeTarget(ctx.target, ctx.cwd)}`)
        const result = await runSeeds({
          url: ctx.url,
          seedsDir: ctx.config.seeds,
          ...(flags.lockWait === undefined ? {} : { lockWaitMs: parseDurationMs(flags.lockWait, '--lock-wait') }),
          onSeed: (file) => ctx.out.progress(`seeding ${file}`),
        })
        ctx.out.result({ files: result.files })
        ctx.out.line(result.files.length === 0 ? 'No seed files.' : `Ran ${plural(result.files.length, 'seed file')}.`)
        return 0
      }),
    )
}
