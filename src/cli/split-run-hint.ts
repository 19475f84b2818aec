import { KeelError } from '../errors.js'

/**
 * error[SPLIT_RUN]'s way out in the words of the command that raised it. The refusal comes from the order of a plan's
 * steps (migrate/whole-runs.ts), which keel generate (the migrations it writes), keel push (what it applies, or prints
 * with --dry-run) and keel diff (the script it prints) share; the error table's one hint named generate and push to
 * all three, and nothing a diff user runs.
 */
const HINTS = {
  generate:
    'Make the two changes apart: first change the schema by the one whose step runs outside a transaction alone and run `keel generate`, then make the other change and run `keel generate` again.',
  push: 'Make the two changes apart: first change the schema by the one whose step runs outside a transaction alone and run `keel push`, then make the other change and run `keel push` again.',
  diff: 'Diff in two steps: `keel diff --to` a schema with the change whose step runs outside a transaction alone, apply that script, then diff from there to the whole schema.',
} as const

/** Runs `command`'s work; an error[SPLIT_RUN] it raises gets that command's hint (the message and cause kept). */
export async function withSplitRunHint<T>(command: keyof typeof HINTS, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof KeelError) || error.code !== 'SPLIT_RUN') throw error
    throw new KeelError('SPLIT_RUN', error.message, HINTS[command], { cause: error })
  }
}
