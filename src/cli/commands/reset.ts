import { isLocalUrl, parseDatabaseUrl, redactUrl } from '../../db/url.js'
import { loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import { reset } from '../../migrate/reset.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'
import { describeTarget } from '../format/target.js'
import { type LockFlags, runnerOptionsOf, withLockOptions } from './migration-options.js'

/**
 * `keel reset --force`: drops everything in the database (every non-system schema, the journal
 * included) and applies every migration again. On a database that is not on this machine it needs
 * --force twice.
 */
export const registerReset: RegisterCommand = (program, run) => {
  withLockOptions(
    withGlobalOptions(program.command('reset').description('drop everything and re-apply every migration')),
  )
    .option(
      '--force',
      'really drop everything (twice for a database on another host)',
      (_value: string, count: number) => count + 1,
      0,
    )
    .action(
      run<LockFlags & { force: number }>(async (ctx, flags) => {
        ctx.out.progress(`resetting ${describeTarget(ctx.target, ctx.cwd)}`)
        const target = redactUrl(ctx.url)
        if (flags.force < 1) {
          throw new KeelError(
            'UNSAFE_RESET',
            `reset drops every schema and all data in ${target}; pass --force to do it`,
            // Only a database on another host needs --force twice; saying so about .keel/db would puzzle.
            isLocalUrl(ctx.url) ? 'Pass --force to drop everything and apply every migration again.' : undefined,
          )
        }
        if (!isLocalUrl(ctx.url) && flags.force < 2) {
          throw new KeelError('UNSAFE_RESET', `${target} is not on this machine; reset it only with --force --force`)
        }
        const result = await reset({
          ...runnerOptionsOf(ctx, flags, 'reset'),
          onDrop: () => ctx.out.progress(`dropping everything in ${target}`),
        })
        ctx.out.result({
          dropped: result.dropped,
          applied: result.migrate.applied.map((m) => `${m.version}_${m.name}`),
        })
        // What the wipe drops whole: namespaces where the dialect has them, else tables (with their indexes and triggers).
        const noun = (await loadRuntime(parseDatabaseUrl(ctx.url).kind)).capabilities.schemas ? 'schema' : 'table'
        ctx.out.line(`Dropped ${plural(result.dropped.length, noun)} (${result.dropped.join(', ') || 'none'}).`)
        ctx.out.line(`Applied ${plural(result.migrate.applied.length, 'migration')}.`)
        return 0
      }),
    )
}
