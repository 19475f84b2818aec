import { devUrlOf } from '../../config/database-url.js'
import { createScratchDatabase } from '../../db/scratch.js'
import { reusingScratchDatabases } from '../../db/scratch-reuse.js'
import { phaseDialectOf } from '../../dialect/phase-dialect.js'
import { dialectOfUrl, getDialect } from '../../dialect/registry.js'
import type { RenameQuestion } from '../../diff/change.js'
import { diff } from '../../diff/diff.js'
import { asKeelError, KeelError } from '../../errors.js'
import {
  acceptedSteps,
  type BlockingStep,
  type LintedGeneration,
  lintGenerated,
  whyBlocking,
} from '../../migrate/blocking-steps.js'
import { displayPath, readMigrationsDirectory } from '../../migrate/directory.js'
import { assertSumMatches } from '../../migrate/keel-sum.js'
import { type NewMigration, nameMigrations, writeNamedMigration } from '../../migrate/new-migration.js'
import {
  migrationSuffix,
  type RenderedMigration,
  renderMigrations,
  suggestName,
} from '../../migrate/render-migration.js'
import { replayMigrations } from '../../migrate/replay.js'
import { describeStep } from '../../plan/describe-step.js'
import { planPhases } from '../../plan/phases.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import type { Schema } from '../../schema/model.js'
import { serverNear } from '../../source/load-source.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { diffOptionsFor } from '../diff-options.js'
import { plural } from '../format/plural.js'
import { describeQuestion } from '../format/questions.js'
import { askRenames } from '../prompt-renames.js'
import { withSplitRunHint } from '../split-run-hint.js'
import { contractDrops } from './contract-drops.js'
import { introspectOptionsOf, loadForCommand } from './shared.js'

interface GenerateFlags {
  readonly schema?: string
  readonly unsafe?: boolean
  /** Also apply what was written (Prisma's `migrate dev`): one step in development. */
  readonly apply?: boolean
  /** Replace the newest migration, if no database has applied it: generated again, as if it had never been written. */
  readonly amend?: boolean
  /** Write the steps that have no online form too, marked with `-- keel:lint-ignore` (else generate refuses them). */
  readonly allowUnsafe?: boolean
}

/**
 * `keel generate [NAME] [--schema SRC] [--unsafe]`: writes the next migration from the desired schema
 * against the migrations replayed on a scratch database. An empty difference writes nothing and
 * exits 0 ("nothing to generate").
 */
export const registerGenerate: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('generate').description('write the next migration from the schema'))
    .argument('[name]', 'what the migration does (default: derived from the changes)')
    .option('--schema <src>', 'the desired schema (default: the schema file from the config)')
    .option('--unsafe', 'the naive plan, without online-safe rewrites (clearly labelled in the file)')
    .option(
      '--allow-unsafe',
      'also write the statements that block writers and have no online form (marked `-- keel:lint-ignore RULE reason`); without it, generate refuses them',
    )
    .option('--apply', 'then apply it to the database, as `keel migrate` does (like `prisma migrate dev`)')
    .option(
      '--amend',
      'replace the newest migration (unapplied: a draft not in the journal) with one generated afresh; its edits are lost',
    )
    .action(
      run<GenerateFlags>((ctx, flags, args) =>
        // The schema's scratch database and the migrations' are one, emptied between (dialect/postgres/pglite-scratch.ts).
        withSplitRunHint('generate', () => reusingScratchDatabases(() => generate(ctx, flags, args[0]))),
      ),
    )
}

async function generate(ctx: CommandContext, flags: GenerateFlags, name: string | undefined): Promise<number> {
  // Read once here for keel.sum and for naming what is written; writing reads it again (new-migration.ts).
  const directory = readMigrationsDirectory(ctx.config.migrations)
  assertSumMatches(directory)
  // Checked before any work, and dropped only once the new plan exists: a failure in between keeps the old one.
  const amended = flags.amend ? await (await import('./drop-last.js')).lastUnapplied(ctx) : undefined
  const near = await scratchServer(ctx)
  const desired = await loadForCommand(ctx, flags.schema ?? ctx.config.schema, near)
  const current = await replayedSchema(ctx, near, amended?.id)
  let renames = desired.renames
  // The migrations run on the configured database: its dialect writes them (and quotes what the differ spells).
  const dialect = dialectOfUrl(ctx.url)
  const diffOptions = await diffOptionsFor(dialect, current, desired.schema)
  let result = diff(current, desired.schema, renames, diffOptions)
  if (result.questions.length > 0) {
    const answers = ctx.interactive ? await askRenames(result.questions) : undefined
    if (answers === undefined) throw ambiguous(result.questions)
    renames = [...renames, ...answers]
    result = diff(current, desired.schema, renames, diffOptions)
  }
  // Under the safe policy, a change that would break the running release becomes expand, backfill and contract
  // migrations (plan/phases.ts).
  // The phase pass reads expressions with the dialect's parser (an enum swap's casts), loaded here, once.
  if (!flags.unsafe && result.changes.length > 0) await dialect.phaseSql?.prepare()
  const phaseDialect = flags.unsafe || result.changes.length === 0 ? undefined : phaseDialectOf(dialect)
  const phased = phaseDialect === undefined ? undefined : planPhases(current, desired.schema, renames, phaseDialect)
  const planned =
    phased ??
    dialect.plan(result.changes, flags.unsafe ? directPolicy : safePolicy, {
      from: current,
      to: desired.schema,
    })
  // MySQL and SQLite have no expand/contract SQL: their drops still ship as a contract migration (contract-drops.ts).
  const contracted =
    phased === undefined && !flags.unsafe && dialect.phaseSql === undefined ? contractDrops(planned) : undefined
  const plan = contracted ?? planned
  const options = { unsafe: flags.unsafe === true, phased: phased !== undefined || contracted !== undefined }
  // An amended migration keeps its name unless a new one is given.
  const base = name ?? amended?.name ?? suggestName(result.changes)
  let rendered = renderMigrations(plan, options)
  // Named before anything is written, so that what will be written is linted once, under the ids and paths it gets.
  const named =
    plan.steps.length === 0
      ? []
      : nameMigrations(
          directory,
          rendered.map((migration) => `${base}${migrationSuffix(migration, rendered)}`),
          amended === undefined ? {} : { without: amended.id },
        )
  const lint = (migrations: readonly RenderedMigration[]) =>
    lintGenerated(
      migrations.map((migration, i) => {
        const { id, dir } = named[i] as NewMigration
        return { id, file: `${displayPath(dir)}/up.sql`, migration }
      }),
      { dialect: dialect.name, severities: ctx.config.lint.rules },
    )
  let linted = plan.steps.length === 0 ? undefined : await lint(rendered)
  // Under the default policy nothing that lint refuses is written (migrate would refuse it): a step with no online
  // form stops here, before anything changes, unless the user accepts it. --unsafe asked for the naive plan by name.
  if (!flags.unsafe && linted !== undefined && linted.blocking.length > 0) {
    if (flags.allowUnsafe !== true) throw noOnlineForm(linted.blocking)
    rendered = renderMigrations(plan, { ...options, accepted: acceptedSteps(linted.blocking) })
    // The text written is another (each accepted step marked `-- keel:lint-ignore`): its findings are its own.
    linted = await lint(rendered)
  }
  if (amended !== undefined) {
    const { dropMigration } = await import('../../migrate/drop-last.js')
    dropMigration(ctx.config.migrations, amended)
    ctx.out.line(`Dropped ${displayPath(amended.dir)}/ (--amend).`)
  }
  const dropped = amended === undefined ? {} : { dropped: amended.id }
  if (linted === undefined) {
    ctx.out.line(
      amended === undefined
        ? 'Nothing to generate: the migrations already produce the schema.'
        : 'Nothing to generate: the migrations before it already produce the schema.',
    )
    ctx.out.result({ ...dropped, generated: [] })
    return 0
  }
  const written = rendered.map((migration, i) => ({
    migration,
    ...writeNamedMigration(ctx.config.migrations, named[i] as NewMigration, migration.files),
  }))
  // Said before applying: an apply that fails or is stopped leaves them written, and the user must know which.
  for (const w of written) printMigration(ctx, w.id, w.dir, w.migration)
  await printLint(linted)
  const applied = flags.apply
    ? await applyWritten(ctx).catch((error: unknown) => {
        // Under --json too (stdout then carries the error object only): its hint and notes name them, whatever the
        // error (an INTERNAL one, a bug, as well).
        const failed = asKeelError(error)
        const dirs = written.map((w) => `${displayPath(w.dir)}/`).join(', ')
        failed.addNote(`Written before applying, and kept (pending unless applied above): ${dirs}.`)
        throw failed
      })
    : undefined
  ctx.out.result({
    ...dropped,
    ...(applied === undefined ? {} : { applied }),
    generated: written.map((w) => ({
      id: w.id,
      version: w.version,
      dir: w.dir,
      phase: w.migration.phase ?? null,
      files: Object.keys(w.migration.files),
      irreversible: w.migration.irreversible,
      steps: w.migration.steps.map(stepJson),
    })),
  })
  if (applied !== undefined) ctx.out.line(`Applied ${plural(applied.length, 'migration')}: ${applied.join(', ')}.`)
  return 0
}

/**
 * `--apply`: runs the pending migrations (the ones just written among them) as `keel migrate` would, Ctrl-C included:
 * the first stops the run after the migrations already sent, with error[INTERRUPTED].
 */
async function applyWritten(ctx: CommandContext): Promise<readonly string[]> {
  const [{ migrateUntilCtrlC }, { runnerOptionsOf }, { describeTarget }] = await Promise.all([
    import('./migrate-until-ctrl-c.js'),
    import('./migration-options.js'),
    import('../format/target.js'),
  ])
  ctx.out.progress(`migrating ${describeTarget(ctx.target, ctx.cwd)}`)
  const result = await migrateUntilCtrlC(runnerOptionsOf(ctx, {}, 'migrate'), (text) => ctx.out.progress(text))
  return result.applied.map((m) => `${m.version}_${m.name}`)
}

/** Where scratch databases go: the dev server, else the target server, else PGlite. */
async function scratchServer(ctx: CommandContext): Promise<string | undefined> {
  return devUrlOf(ctx.config) ?? (await serverNear(ctx.url))
}

/** The schema the migrations produce: replayed on a scratch database, then introspected. */
export async function replayedSchema(
  ctx: CommandContext,
  near: string | undefined,
  /** A migration to leave out (the one `--amend` replaces). */
  without?: string,
): Promise<Schema> {
  const scratch = await createScratchDatabase(near)
  try {
    ctx.out.progress(`replaying ${displayPath(ctx.config.migrations)} on a scratch database`)
    await replayMigrations(scratch.conn, ctx.config.migrations, { only: (m) => m.id !== without })
    return await getDialect(scratch.conn.dialect).introspect(scratch.conn, introspectOptionsOf(ctx))
  } finally {
    await scratch.dispose()
  }
}

function printMigration(ctx: CommandContext, id: string, dir: string, migration: RenderedMigration): void {
  ctx.out.line(
    `Wrote ${displayPath(dir)}/ (${plural(migration.steps.length, 'statement')}${migration.phase ? `, phase ${migration.phase}` : ''}):`,
  )
  for (const step of migration.steps) ctx.out.line(`  ${describeStep(step)}`)
  if (migration.irreversible.length > 0) {
    ctx.out.warn(`${id} has no down.sql: ${migration.irreversible.join('; ')}`)
  }
  const lossy = migration.steps.filter((s) => s.dataLoss !== 'none')
  if (lossy.length > 0)
    ctx.out.warn(`${id}: ${plural(lossy.length, 'statement')} may lose data; review before applying`)
}

/**
 * Shows the findings of what was written (linted with the steps' facts before it was written) on stderr: under the
 * default policy there is no error among them (generate refused, or --allow-unsafe marked the accepted ones); under
 * --unsafe they say what each naive step costs.
 */
async function printLint(linted: LintedGeneration): Promise<void> {
  const { formatFinding } = await import('../../lint/format-finding.js')
  // On stderr, like the step list's warnings: stdout stays for --json.
  for (const file of linted.files)
    for (const finding of file.findings) process.stderr.write(`${formatFinding(finding)}\n`)
}

/**
 * The refusal of a plan with steps that block writers and that lint judges errors: each named (the statement, the
 * rules, why it has no online form), with what the user can do instead.
 */
function noOnlineForm(blocking: readonly BlockingStep[]): KeelError {
  const lines = blocking.flatMap(({ step, findings }) => [
    `  ${findings.map((f) => f.message).join('; ')} [${[...new Set(findings.map((f) => f.rule))].join(', ')}]`,
    `    why: ${whyBlocking(step)}`,
  ])
  const alternatives = [...new Set(blocking.flatMap(({ findings }) => findings.map((f) => f.hint)))]
  return new KeelError(
    'NO_ONLINE_FORM',
    `the plan has ${plural(blocking.length, 'statement')} that block${blocking.length === 1 ? 's' : ''} writers and can't be done online; nothing was written:\n${lines.join('\n')}`,
    [
      'Pass --allow-unsafe to write it anyway: each such statement is marked `-- keel:lint-ignore RULE reason`, so that `keel migrate` runs it knowingly (schedule it when the table may be blocked).',
      `Or change the schema: ${alternatives.join(' ')} On a table created in the same migration it is safe.`,
    ].join('\n'),
  )
}

function stepJson(step: RenderedMigration['steps'][number]): unknown {
  return {
    sql: step.sql,
    comment: step.comment,
    transactional: step.transactional,
    lock: step.lock,
    rewritesTable: step.rewritesTable,
    scansTable: step.scansTable,
    dataLoss: step.dataLoss,
    phase: step.phase,
    reversible: 'sql' in step.reverse,
  }
}

function ambiguous(questions: readonly RenameQuestion[]): KeelError {
  const lines = questions.map((q) => `  ${describeQuestion(q)}`).join('\n')
  return new KeelError(
    'AMBIGUOUS_RENAME',
    `the schema change looks like a rename, and no hint says which:\n${lines}`,
    'Add a rename hint (`.renamedFrom(...)` or `-- keel:renamed-from old`), or run `keel generate` at a terminal to answer.',
  )
}
