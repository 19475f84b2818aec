import type { Connection } from '../../db/connection.js'
import { parseDatabaseUrl } from '../../db/url.js'
import { type DialectName, loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { LintedFile } from '../../lint/lint-migration.js'
import type { LiveFacts } from '../../lint/rule.js'
import type { MigrateResult, MigrationToRun } from '../../migrate/runner.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format/plural.js'
import { describeTarget } from '../format/target.js'
import { throttleProgress } from '../throttle-progress.js'
import { migrateUntilCtrlC } from './migrate-until-ctrl-c.js'
import { type LockFlags, runnerOptionsOf, withLockOptions } from './migration-options.js'

interface MigrateFlags extends LockFlags {
  readonly to?: string
  readonly dryRun?: boolean
  readonly allowOutOfOrder?: boolean
  readonly allowUnsafe?: boolean
}

/** `keel migrate [--to VERSION] [--dry-run] [--allow-out-of-order]`: applies pending migrations. */
export const registerMigrate: RegisterCommand = (program, run) => {
  withLockOptions(withGlobalOptions(program.command('migrate').description('apply pending migrations')))
    .option('--to <version>', 'apply up to and including this version')
    .option('--dry-run', 'print the SQL that would run, without running it')
    .option('--allow-out-of-order', 'also apply pending migrations older than the newest applied one')
    .option('--allow-unsafe', 'apply pending migrations even when `keel lint` finds errors in them')
    .action(run<MigrateFlags>((ctx, flags) => runMigrate(ctx, flags)))
}

async function runMigrate(ctx: CommandContext, flags: MigrateFlags): Promise<number> {
  ctx.out.progress(`${flags.dryRun ? 'dry run: migrating' : 'migrating'} ${describeTarget(ctx.target, ctx.cwd)}`)
  const started = performance.now()
  // The process exits after the run: its sessions need not wait for the server to end them.
  const options = { ...runnerOptionsOf(ctx, flags, 'migrate'), lastUse: true }
  // One "applying" line per migration costs a synchronous write each: a thousand of them cost a second.
  const progress = throttleProgress((text) => ctx.out.progress(text))
  // The live facts the lint reads, asked for on the run's connection while the runner parses (prepareCheck).
  let live: Promise<LiveFacts> | undefined
  let result: MigrateResult
  try {
    result = await migrateUntilCtrlC(
      {
        ...options,
        events: {
          ...options.events,
          onStart: (m, _direction, resumeAt) => {
            if (resumeAt === undefined) progress.line(`applying ${m.id}`)
            else progress.now(`applying ${m.id} (resuming at statement ${resumeAt})`)
          },
        },
        ...(flags.to === undefined ? {} : { to: flags.to }),
        ...(flags.allowUnsafe === true
          ? {}
          : {
              check: (toRun, conn) => refuseUnsafe(ctx, toRun, conn, live),
              // On PostgreSQL the lint reads only the facts fetched below: the journal may be created beside it.
              checkLeavesConnection: true,
              prepareCheck: (conn) => {
                // The facts' module first (it is small): its queries go out while the rules load.
                live = import('../../lint/live-facts.js').then(({ readLiveFacts }) => readLiveFacts(conn))
                return Promise.all([live, lintModules()])
              },
            }),
        ...(flags.dryRun ? { dryRun: true } : {}),
        ...(flags.allowOutOfOrder ? { allowOutOfOrder: true } : {}),
      },
      (text) => progress.now(text),
    )
  } catch (error) {
    throw await suggestBaseline(error, parseDatabaseUrl(ctx.url).kind)
  } finally {
    progress.flush()
  }
  ctx.out.result(toJson(result, flags.dryRun === true))
  if (flags.dryRun) {
    ctx.out.line(result.applied.length === 0 ? '-- nothing to migrate' : (result.sql ?? ''))
    return 0
  }
  const ms = Math.round(performance.now() - started)
  if (result.applied.length === 0) ctx.out.line('Nothing to migrate: the database is up to date.')
  else {
    const lines = result.applied.map((m) => {
      const resumed = m.resumedAt === undefined ? '' : ` (resumed at statement ${m.resumedAt})`
      return `  applied ${m.version}_${m.name}${resumed} in ${Math.round(m.durationMs)} ms`
    })
    // One write for the whole list rather than one per migration.
    ctx.out.line(lines.join('\n'))
    ctx.out.line(`Applied ${plural(result.applied.length, 'migration')} (batch ${result.batch}) in ${ms} ms.`)
  }
  if (result.remaining.length > 0)
    ctx.out.line(`${plural(result.remaining.length, 'migration')} left pending after --to.`)
  return 0
}

/**
 * Lints the migrations about to run and refuses them when a finding is an error, printing the findings on
 * stderr (stdout stays for --json). Reviewed findings are suppressed in the file with `-- keel:lint-ignore`.
 * The runner calls it (MigrateOptions.check) once it has read, locked and parsed what it will run: the lint reads
 * the live database's facts on the run's connection and the statements of the run's own parse.
 */
async function refuseUnsafe(
  ctx: CommandContext,
  toRun: readonly MigrationToRun[],
  conn: Connection,
  /** The facts asked for beforehand on `conn` (prepareCheck), if they were. */
  prefetched: Promise<LiveFacts> | undefined,
): Promise<void> {
  const [{ lintMigrationsInOrder }, { serverSyntaxOf }, { readLiveFacts }] = await lintModules()
  // Every dialect is linted as itself: the rules of its dialect list, over its runner's statements.
  const dialect = parseDatabaseUrl(ctx.url).kind
  const live = await (prefetched ?? readLiveFacts(conn))
  // The server judges the statements its dialect's parser refuses (MySQL).
  const serverSyntax = serverSyntaxOf(dialect, conn)
  const options = {
    severities: ctx.config.lint.rules,
    live,
    dialect,
    ...(serverSyntax === undefined ? {} : { serverSyntax }),
  }
  // In order, each knowing the ones before it (a generated contract's VALIDATE may be in the migration before).
  const linted: LintedFile[] = await lintMigrationsInOrder(toRun, options)
  const unsafe = linted.filter((file) => file.findings.some((f) => f.severity === 'error'))
  if (unsafe.length === 0) return
  const errorsOnly = unsafe.map((file) => ({ ...file, findings: file.findings.filter((f) => f.severity === 'error') }))
  const { renderPretty } = await import('../format/lint-report.js')
  process.stderr.write(`${renderPretty(errorsOnly)}\n\n`)
  throw new KeelError(
    'UNSAFE_MIGRATION',
    `${plural(unsafe.length, 'pending migration')} would lock, rewrite or lose data: ${unsafe.map((f) => f.file).join(', ')}`,
  )
}

let loadingLint: ReturnType<typeof loadLintModules> | undefined

/**
 * The rules and the live-facts queries, loaded once: only when something is about to run (the runner starts it
 * before it parses, MigrateOptions.prepareCheck, and refuseUnsafe waits for it).
 */
function lintModules(): ReturnType<typeof loadLintModules> {
  loadingLint ??= loadLintModules()
  return loadingLint
}

function loadLintModules() {
  return Promise.all([
    import('../../lint/lint-migration.js'),
    import('../../lint/sql/parse-dialect.js'),
    import('../../lint/live-facts.js'),
  ])
}

function toJson(result: MigrateResult, dryRun: boolean): unknown {
  return {
    dryRun,
    applied: result.applied.map((m) => ({
      ...m,
      resumedAt: m.resumedAt ?? null,
      durationMs: Math.round(m.durationMs),
    })),
    batch: result.batch ?? null,
    remaining: result.remaining,
    ...(dryRun ? { sql: result.sql ?? '' } : {}),
  }
}

/**
 * A migration that fails because what it creates already exists is, on a first `migrate`, nearly always a
 * database built with `keel push` (or another tool): the way over is `keel baseline`, which the default hint
 * ("fix the cause") never mentions.
 */
async function suggestBaseline(error: unknown, dialect: DialectName): Promise<unknown> {
  if (!(error instanceof KeelError) || error.code !== 'MIGRATION_FAILED') return error
  const alreadyExists = (await loadRuntime(dialect)).runner.alreadyExists
  let exists = false
  for (let e = error.cause as { cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    exists ||= alreadyExists?.(e) === true
  }
  if (!exists) return error
  const baseline = new KeelError(
    error.code,
    error.message,
    'The database already holds what this migration creates. If it was built with `keel push` or another tool, adopt it: `keel baseline --to VERSION` marks the migrations it already reflects as applied without running them, then `keel migrate` applies the rest.',
    { cause: error },
  )
  // What went wrong after the failure (keel.sum not sealed) is still said after the new hint.
  for (const note of error.notes) baseline.addNote(note)
  return baseline
}
