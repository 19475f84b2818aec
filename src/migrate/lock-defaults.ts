import type { DialectName } from '../dialect/runtimes.js'
import { runtimeOf } from '../dialect/runtimes.js'

// Apart from runner.ts so that the commands that only print or take these defaults (push's lock budget, the flags'
// help) load neither the runner nor what it imports.

/** How long the runner waits for another runner's lock (`--lock-wait`) by default. */
export const DEFAULT_LOCK_WAIT_MS = 120_000

/**
 * The `lock_timeout` of a migration that sets none: the dialect's (PostgreSQL's is short, 50ms, so that a
 * statement stuck behind a long transaction holds writers up no longer than that per try), else 5s.
 */
export function defaultLockTimeout(dialect: DialectName): string {
  return runtimeOf(dialect).runner.defaultLockTimeout ?? '5s'
}
