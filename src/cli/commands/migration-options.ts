import type { Command } from 'commander'
import type { DialectName } from '../../dialect/registry.js'
import { KeelError } from '../../errors.js'
import { displayPath } from '../../migrate/directory.js'
import { describeHolder, formatMs } from '../../migrate/lock.js'
import { DEFAULT_LOCK_WAIT_MS, defaultLockTimeout } from '../../migrate/lock-defaults.js'
import { DEFAULT_LOCK_DEADLINE_MS } from '../../migrate/lock-retry.js'
import type { RunnerOptions } from '../../migrate/runner.js'
import type { PlanLocks } from '../../source/apply-plan.js'
import type { CommandContext } from '../context.js'
import { backfillReporter } from '../format/backfill-progress.js'
import { indexBuildReporter } from '../format/index-build-progress.js'

/** Flags of the commands that take the runner lock. */
export interface LockFlags {
  readonly lockWait?: string
  readonly lockRetries?: string
  readonly lockDeadline?: string
}

/** Adds --lock-wait, --lock-retries and --lock-deadline to a command that takes the runner lock. */
export function withLockOptions(command: Command): Command {
  return withLockBudgetOptions(
    command.option(
      '--lock-wait <duration>',
      `how long to wait for another runner (default ${DEFAULT_LOCK_WAIT_MS / 1000}s)`,
    ),
  )
}

/** Adds --lock-retries and --lock-deadline: the lock budget of each statement (migrate/lock-retry.ts). */
export function withLockBudgetOptions(command: Command): Command {
  return command
    .option('--lock-retries <n>', 'retries at most of a statement that hit lock_timeout (default: until the deadline)')
    .option(
      '--lock-deadline <duration>',
      'how long a statement that hit lock_timeout is retried (default lockDeadline from the config, else 1m)',
    )
}

/** The runner's options from the config, flags and context, with progress reported on stderr. */
export function runnerOptionsOf(ctx: CommandContext, flags: LockFlags, command: string): RunnerOptions {
  const out = ctx.out
  return {
    url: ctx.url,
    migrationsDir: ctx.config.migrations,
    journalSchema: ctx.config.journalSchema,
    statementTimeout: ctx.config.statementTimeout,
    lockWaitMs: flags.lockWait === undefined ? DEFAULT_LOCK_WAIT_MS : parseDurationMs(flags.lockWait, '--lock-wait'),
    ...(ctx.config.lockTimeout === undefined ? {} : { lockTimeout: ctx.config.lockTimeout }),
    ...lockBudget(ctx, flags),
    command,
    events: {
      onLockWait: (holder, waited) =>
        out.progress(
          `waiting for the migration lock${holder ? `, held by ${describeHolder(holder)}` : ''}${waited >= 1000 ? ` (${formatMs(waited)} so far)` : ''}`,
        ),
      onOrphanWait: (orphan) =>
        out.progress(
          `waiting for session ${orphan.pid} of an earlier runner that stopped, still ${orphan.state}: ${orphan.query}`,
        ),
      onStart: (m, direction, resumeAt) =>
        out.progress(
          `${direction === 'up' ? 'applying' : 'rolling back'} ${m.id}${resumeAt === undefined ? '' : ` (resuming at statement ${resumeAt})`}`,
        ),
      onNotice: (text) => out.warn(text),
      onBackfill: backfillReporter(out.json),
      onIndexBuild: indexBuildReporter(out.json),
    },
  }
}

/**
 * The lock budget of a plan applied straight to the database (`keel push`), as `keel migrate` has it: the
 * config's lockTimeout (else the dialect's, 50ms on PostgreSQL), the flags' or config's retries and deadline
 * (else until 1min), and each retry reported on stderr.
 */
export function planLocksOf(ctx: CommandContext, flags: LockFlags, dialect: DialectName): PlanLocks {
  const budget = lockBudget(ctx, flags)
  return {
    lockTimeout: ctx.config.lockTimeout ?? defaultLockTimeout(dialect),
    lockRetries: budget.lockRetries ?? Number.POSITIVE_INFINITY,
    lockDeadlineMs: budget.lockDeadlineMs ?? DEFAULT_LOCK_DEADLINE_MS,
    onNotice: (text) => ctx.out.warn(text),
  }
}

/** --lock-retries and --lock-deadline, else the config's lockDeadline; unset ones take the runner's defaults. */
function lockBudget(ctx: CommandContext, flags: LockFlags): Pick<RunnerOptions, 'lockRetries' | 'lockDeadlineMs'> {
  const deadline =
    flags.lockDeadline === undefined
      ? ctx.config.lockDeadline === undefined
        ? undefined
        : parseDurationMs(ctx.config.lockDeadline, 'lockDeadline')
      : parseDurationMs(flags.lockDeadline, '--lock-deadline')
  return {
    ...(flags.lockRetries === undefined ? {} : { lockRetries: parseCount(flags.lockRetries, '--lock-retries', 0) }),
    ...(deadline === undefined ? {} : { lockDeadlineMs: deadline }),
  }
}

/** Parses `500ms`, `30s`, `2m` or `2min`, `1h`, `1d` (a bare number is seconds): the units config durations take. */
export function parseDurationMs(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(us|ms|s|m|min|h|d)?$/.exec(text.trim())
  if (!match) throw new KeelError('USAGE', `${flag} needs a duration such as 30s, 2m or 500ms (got "${text}")`)
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[
    (match[2] ?? 's') as 'ms'
  ]
  return Number(match[1]) * factor
}

export function parseCount(text: string, flag: string, min = 1): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min)
    throw new KeelError('USAGE', `${flag} needs a whole number of at least ${min} (got "${text}")`)
  return value
}

/** The migrations directory as people see it in messages. */
export function migrationsLabel(ctx: CommandContext): string {
  return displayPath(ctx.config.migrations)
}
