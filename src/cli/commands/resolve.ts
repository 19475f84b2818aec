import { KeelError } from '../../errors.js'
import { type ResolveReport, resolve } from '../../migrate/resolve.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { describeTarget } from '../format/target.js'
import { type LockFlags, runnerOptionsOf, withLockOptions } from './migration-options.js'

interface ResolveFlags extends LockFlags {
  readonly applied?: boolean
  readonly rolledBack?: boolean
  readonly through?: string
}

/**
 * `keel resolve VERSION --applied|--rolled-back`: shows what the live schema says about each statement
 * of the migration, then records the person's decision in the journal.
 */
export const registerResolve: RegisterCommand = (program, run) => {
  withLockOptions(
    withGlobalOptions(
      program.command('resolve').description("record a person's decision about a migration that stopped part-way"),
    ),
  )
    .argument('<version>', 'the migration (version or folder name)')
    .option('--applied', 'record it as fully applied (also accepts a reviewed edit of an applied migration)')
    .option('--rolled-back', 'remove it from the journal, so that `keel migrate` runs it again from the start')
    .option('--through <n>', 'statements 1..N took effect and the rest did not: `keel migrate` resumes at N+1')
    .action(
      run<ResolveFlags>(async (ctx, flags, args) => {
        ctx.out.progress(`recording a decision in ${describeTarget(ctx.target, ctx.cwd)}`)
        if ([flags.applied, flags.rolledBack, flags.through !== undefined].filter(Boolean).length !== 1)
          throw new KeelError('USAGE', 'give exactly one of --applied, --rolled-back and --through N')
        const through = flags.through === undefined ? undefined : Number(flags.through)
        if (through !== undefined && !/^\d+$/.test(flags.through ?? ''))
          throw new KeelError('USAGE', `--through needs a statement number, not "${flags.through}"`)
        const result = await resolve({
          ...runnerOptionsOf(ctx, flags, 'resolve'),
          version: args[0] ?? '',
          decision: through !== undefined ? { through } : flags.applied ? 'applied' : 'rolled-back',
          onReport: (report) => printReport(ctx, report),
        })
        ctx.out.result({ id: result.report.id, action: result.action, report: result.report })
        const words = {
          'marked-applied': 'recorded as applied',
          'marked-partial': `recorded as applied through statement ${through}; \`keel migrate\` resumes after it`,
          removed: 'removed from the journal',
          unchanged: 'left unchanged',
        }
        ctx.out.line(`${result.report.id}: ${words[result.action]}.`)
        return 0
      }),
    )
}

function printReport(ctx: CommandContext, report: ResolveReport): void {
  ctx.out.line(`${report.id}: ${report.state}`)
  if (report.entry?.failedStatement) ctx.out.line(`  failed statement: ${report.entry.failedStatement.split('\n')[0]}`)
  if (report.statements.length > 0)
    ctx.out.line(report.effectsUnknown === undefined ? 'What the live schema says:' : `${report.effectsUnknown}.`)
  for (const s of report.statements) {
    const journal = s.journaled ? 'committed' : 'not journaled'
    const live =
      report.effectsUnknown !== undefined
        ? ''
        : s.effect === undefined
          ? 'cannot tell from the catalog'
          : `${s.effect.object} is ${s.effect.actual}${s.effect.actual === s.effect.expected ? ' (as after the statement)' : ` (expected ${s.effect.expected} after it)`}`
    ctx.out.line(`  ${String(s.number).padStart(3)}. ${s.location}  [${journal}]${live === '' ? '' : `  ${live}`}`)
    ctx.out.line(`       ${s.sql}`)
  }
}
