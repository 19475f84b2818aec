import { KeelError } from '../../errors.js'
import { type MigrateOptions, type MigrateResult, migrate } from '../../migrate/runner.js'
import { stopOnCtrlC } from '../ctrl-c.js'
import { plural } from '../format/plural.js'

/**
 * Applies migrations as `keel migrate` and `keel generate --apply` do: from the first migration on, the first Ctrl-C
 * stops the run after the migrations already sent to the server (each commits or fails whole, with its journal row;
 * a backfill stops between its batches), and the run ends with error[INTERRUPTED]. keel.sum seals what was applied
 * (the runner does, also when it stops part-way). A dry run changes nothing: Ctrl-C ends it at once.
 *
 * @param say prints the notice of the first Ctrl-C (on stderr)
 */
export async function migrateUntilCtrlC(options: MigrateOptions, say: (text: string) => void): Promise<MigrateResult> {
  if (options.dryRun === true) return migrate(options)
  const ctrlC = stopOnCtrlC(say, 'the migrations already sent to the server')
  let result: MigrateResult
  try {
    result = await migrate({
      ...options,
      events: {
        ...options.events,
        onStart: (migration, direction, resumeAt) => {
          ctrlC.applying()
          options.events?.onStart?.(migration, direction, resumeAt)
        },
      },
      signal: ctrlC.signal,
    })
  } finally {
    ctrlC.dispose()
  }
  if (result.interrupted !== undefined) throw interrupted(result, result.interrupted.notRun)
  return result
}

/** The run stopped by Ctrl-C: what was applied, what is left, as the error the command exits with. */
function interrupted(result: MigrateResult, notRun: readonly string[]): KeelError {
  const last = result.applied.at(-1)
  return new KeelError(
    'INTERRUPTED',
    `stopped by Ctrl-C after applying ${plural(result.applied.length, 'migration')}${last === undefined ? '' : ` (the last: ${last.version}_${last.name})`}; ${plural(notRun.length, 'migration')} of this run not started`,
  )
}
