import { openDatabase } from '../../db/open.js'
import { phaseDialectOf } from '../../dialect/phase-dialect.js'
import { loadDialect } from '../../dialect/runtimes.js'
import type { Rename, RenameQuestion } from '../../diff/change.js'
import { diff } from '../../diff/diff.js'
import { KeelError } from '../../errors.js'
import { describeStep } from '../../plan/describe-step.js'
import { directPolicy } from '../../plan/policy.js'
import type { Plan } from '../../plan/step.js'
import { applyPlan, PlanInterrupted, type StepProgress } from '../../source/apply-plan.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { stopOnCtrlC } from '../ctrl-c.js'
import { diffOptionsFor } from '../diff-options.js'
import { backfillReporter } from '../format/backfill-progress.js'
import { indexBuildReporter } from '../format/index-build-progress.js'
import { planToSql } from '../format/plan-sql.js'
import { describeQuestion } from '../format/questions.js'
import { describeTarget } from '../format/target.js'
import { withSplitRunHint } from '../split-run-hint.js'
import { type LockFlags, planLocksOf, withLockBudgetOptions } from './migration-options.js'
import { loadForCommand } from './shared.js'

interface PushOptions extends LockFlags {
  readonly schema?: string
  readonly acceptDataLoss?: boolean
  readonly dryRun?: boolean
}

/** `keel push [--schema SRC] [--accept-data-loss] [--dry-run]`: applies the diff to the database directly (dev). */
export const registerPush: RegisterCommand = (program, run) => {
  withLockBudgetOptions(
    withGlobalOptions(program.command('push').description('apply the schema to the database directly (development)')),
  )
    .option('--schema <src>', 'the desired schema (default: the schema file from the config)')
    .option('--accept-data-loss', 'apply drops that lose data, and treat unhinted look-alike renames as drop and add')
    .option('--dry-run', 'print the SQL without applying it')
    .action(run<PushOptions>((ctx, options) => withSplitRunHint('push', () => push(ctx, options))))
}

async function push(ctx: CommandContext, options: PushOptions): Promise<number> {
  ctx.out.progress(`${options.dryRun ? 'dry run: pushing to' : 'pushing to'} ${describeTarget(ctx.target, ctx.cwd)}`)
  const desired = await loadForCommand(ctx, options.schema ?? ctx.config.schema, ctx.url)
  const current = await loadForCommand(ctx, ctx.url)
  // The plan runs on `current`'s database: the differ spells what it spells with that dialect's quoter. That dialect
  // alone is loaded (the registry's every dialect would cost a SQLite push tens of milliseconds).
  const dialect = await loadDialect(current.dialect)
  const diffOptions = await diffOptionsFor(dialect, current.schema, desired.schema)
  let result = diff(current.schema, desired.schema, [], diffOptions)
  let renames: readonly Rename[] = []
  if (result.questions.length > 0 && !options.acceptDataLoss) {
    const answers = ctx.interactive
      ? await import('../prompt-renames.js').then((m) => m.askRenames(result.questions))
      : undefined
    if (answers === undefined) throw ambiguousRenames(result.questions)
    renames = answers
    result = diff(current.schema, desired.schema, answers, diffOptions)
  }
  // A change that would break a running release goes through its expand, backfill and contract phases,
  // in order, each online-safe (plan/phases.ts); the rest is the direct plan of a development push.
  // The phase pass reads expressions with the dialect's parser (an enum swap's casts), loaded here, once.
  if (result.changes.length > 0) await dialect.phaseSql?.prepare()
  // The phase pass and its runner are loaded only where they can run (not on SQLite, which has no phase SQL).
  const phaseDialect = result.changes.length === 0 ? undefined : phaseDialectOf(dialect)
  const phased =
    phaseDialect === undefined
      ? undefined
      : (await import('../../plan/phases.js')).planPhases(current.schema, desired.schema, renames, phaseDialect)
  const plan = phased ?? dialect.plan(result.changes, directPolicy, { from: current.schema, to: desired.schema })
  const lossy = plan.steps.filter((step) => step.dataLoss !== 'none')
  // A development push runs what has no online form (generate refuses it without --allow-unsafe), and says so.
  for (const step of plan.steps)
    if (step.noOnlineForm !== undefined) ctx.out.warn(`${describeStep(step)}: blocks writers, ${step.noOnlineForm}`)
  if (plan.steps.length === 0) {
    ctx.out.line('The database already matches the schema.')
    ctx.out.result({ applied: false, steps: [] })
    return 0
  }
  if (options.dryRun) {
    ctx.out.line(planToSql(plan))
    ctx.out.result({ applied: false, dryRun: true, steps: plan.steps })
    return 0
  }
  if (lossy.length > 0 && !options.acceptDataLoss) {
    for (const step of lossy) ctx.out.warn(describeStep(step))
    throw new KeelError('DATA_LOSS', `${lossy.length} statement(s) would lose data; nothing was applied`)
  }
  const conn = await openDatabase(ctx.url)
  // A second session for reading the progress of concurrent index builds (not on PGlite's one connection).
  const builds = plan.steps.some((s) => !s.transactional && s.lock.blocks === 'nothing') && !conn.exclusive
  const monitor = builds ? await openDatabase(ctx.url).catch(() => undefined) : undefined
  const watch = { monitor, onIndexBuild: indexBuildReporter(ctx.out.json) }
  const started = Date.now()
  // The lock budget of `keel migrate`: a step waits at most lock_timeout per try, retried until the deadline.
  const locks = planLocksOf(ctx, options, conn.dialect)
  const backfills: { step: string; table: string; rows: number; batches: number; durationMs: number }[] = []
  const ctrlC = stopOnCtrlC((text) => ctx.out.progress(text), 'the transaction already sent to the server')
  // The step running (0-based): where a backfill interrupted by Ctrl-C stopped.
  let running = 0
  try {
    const onStep: StepProgress = (step, index, total) => {
      running = index
      ctx.out.progress(`[${index + 1}/${total}] ${step.comment}`)
    }
    ctrlC.applying()
    const signal = ctrlC.signal
    if (phased === undefined) await applyPlan(conn, plan, { onStep, locks, signal, ...watch })
    else {
      const report = backfillReporter(ctx.out.json)
      const { applyPhasedPlan } = await import('../../migrate/backfill/apply-phased-plan.js')
      await applyPhasedPlan(conn, plan, {
        onStep,
        locks,
        signal,
        ...watch,
        onBatch: (p) => {
          const step = `step ${plan.steps.indexOf(p.step) + 1} (${p.step.comment})`
          const table = p.step.lock.on.map((t) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`)).join()
          report({
            step,
            table,
            rows: p.rows,
            batches: p.batches,
            estimatedRows: p.estimatedRows,
            elapsedMs: p.elapsedMs,
            done: p.done,
          })
          if (p.done)
            backfills.push({ step, table, rows: p.rows, batches: p.batches, durationMs: Math.round(p.elapsedMs) })
        },
      })
    }
  } catch (error) {
    throw error instanceof KeelError && error.code === 'INTERRUPTED' ? pushInterrupted(plan, running, error) : error
  } finally {
    ctrlC.dispose()
    await monitor?.close()
    await conn.close()
  }
  const ms = Date.now() - started
  ctx.out.line(`Applied ${plan.steps.length} statement(s) in ${ms} ms.`)
  ctx.out.result({ applied: true, durationMs: ms, steps: plan.steps, ...(phased === undefined ? {} : { backfills }) })
  return 0
}

/**
 * A push stopped by Ctrl-C: between two transactions (PlanInterrupted names the first step not started), or in a
 * backfill between two batches (walkBatches' error, in the step `running`). What committed stays; pushed again, the
 * plan starts from there (a backfill's WHERE skips the rows done).
 */
function pushInterrupted(plan: Plan, running: number, error: KeelError): KeelError {
  const total = plan.steps.length
  const committed = (n: number) =>
    n === 0 ? 'no step was committed' : `steps 1 to ${n} of ${total} were committed, each transaction whole`
  const message =
    error instanceof PlanInterrupted
      ? `stopped by Ctrl-C: ${committed(plan.steps.indexOf(error.next))}; step ${plan.steps.indexOf(error.next) + 1} (${error.next.comment}) and those after it did not start`
      : `${error.message}, in step ${running + 1} of ${total} (${plan.steps[running]?.comment}); ${committed(running)}, none after it started`
  return new KeelError(
    'INTERRUPTED',
    message,
    'Run `keel push` again to apply the rest: it plans from what the database now holds (a backfill goes on with the rows not done yet).',
    { cause: error },
  )
}

function ambiguousRenames(questions: readonly RenameQuestion[]): KeelError {
  const lines = questions.map((q) => `  ${describeQuestion(q)}`).join('\n')
  return new KeelError('AMBIGUOUS_RENAME', `the schema change looks like a rename, and no hint says which:\n${lines}`)
}
