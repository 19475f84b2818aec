import { rollback } from '../../migrate/rollback.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'
import { describeTarget } from '../format/target.js'
import { type LockFlags, parseCount, runnerOptionsOf, withLockOptions } from './migration-options.js'

interface RollbackFlags extends LockFlags {
  readonly steps?: string
  readonly to?: string
}

/** `keel rollback [--steps N | --to VERSION]`: runs down of the latest applied migrations (default: the last batch). */
export const registerRollback: RegisterCommand = (program, run) => {
  withLockOptions(
    withGlobalOptions(
      program.command('rollback').description('run down of the latest applied migrations (default: the last batch)'),
    ),
  )
    .option('--steps <n>', 'roll back this many migrations')
    .option('--to <version>', 'roll back every migration applied after this version')
    .action(
      run<RollbackFlags>(async (ctx, flags) => {
        ctx.out.progress(`rolling back ${describeTarget(ctx.target, ctx.cwd)}`)
        const started = performance.now()
        const result = await rollback({
          ...runnerOptionsOf(ctx, flags, 'rollback'),
          ...(flags.steps === undefined ? {} : { steps: parseCount(flags.steps, '--steps') }),
          ...(flags.to === undefined ? {} : { to: flags.to }),
        })
        ctx.out.result({ rolledBack: result.rolledBack.map((m) => ({ ...m, durationMs: Math.round(m.durationMs) })) })
        if (result.rolledBack.length === 0) ctx.out.line('Nothing to roll back.')
        else {
          for (const m of result.rolledBack)
            ctx.out.line(`  rolled back ${m.version}_${m.name} in ${Math.round(m.durationMs)} ms`)
          ctx.out.line(
            `Rolled back ${plural(result.rolledBack.length, 'migration')} in ${Math.round(performance.now() - started)} ms.`,
          )
        }
        return 0
      }),
    )
}
