import { Option } from 'commander'
import { reusingScratchDatabases } from '../../db/scratch-reuse.js'
import { getDialect } from '../../dialect/registry.js'
import { diff } from '../../diff/diff.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import { isReversible } from '../../plan/step.js'
import { classifySource } from '../../source/load-source.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { diffOptionsFor } from '../diff-options.js'
import { planToSql } from '../format/plan-sql.js'
import { plural } from '../format/plural.js'
import { describeQuestion } from '../format/questions.js'
import { requireExistingDatabase } from '../read-only.js'
import { withSplitRunHint } from '../split-run-hint.js'
import { loadListingUnmanaged, warnUnmanaged } from './shared.js'

interface DiffOptions {
  readonly from?: string
  readonly to?: string
  readonly format: 'sql' | 'json'
  readonly unsafe?: boolean
  readonly exitCode?: boolean
}

/** `keel diff --from SRC --to SRC`: the SQL that turns `from` into `to`. */
export const registerDiff: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('diff').description('print the SQL that turns one schema into another'))
    .option('--from <src>', 'the current schema (default: the database)')
    .option('--to <src>', 'the desired schema (default: the schema file from the config)')
    .addOption(new Option('--format <format>', 'output format').choices(['sql', 'json']).default('sql'))
    .option('--unsafe', 'the naive plan, without online-safe rewrites')
    .option('--exit-code', 'exit 1 when the schemas differ (for CI)')
    .action(
      run<DiffOptions>(async (ctx, options) =>
        withSplitRunHint('diff', async () => {
          const fromSrc = options.from ?? ctx.url
          const toSrc = options.to ?? ctx.config.schema
          classifySource(fromSrc, ctx.cwd)
          requireExistingDatabase(ctx, fromSrc)
          requireExistingDatabase(ctx, toSrc)
          // The declared side first: a broken schema file fails before any database is opened.
          const loadBoth = async () =>
            [await loadListingUnmanaged(ctx, toSrc, fromSrc), await loadListingUnmanaged(ctx, fromSrc, toSrc)] as const
          // Two sides read on scratch databases share one, emptied between (dialect/postgres/pglite-scratch.ts); with
          // one, keeping it would only cost its check of freshness.
          const [to, from] = bothOnScratch(ctx.cwd, toSrc, fromSrc)
            ? await reusingScratchDatabases(loadBoth)
            : await loadBoth()
          // Neither side's unmodelled objects are in the plan: they are named, and left alone.
          warnUnmanaged(ctx, from.schema, 'from')
          warnUnmanaged(ctx, to.schema, 'to')
          // The plan runs on `from`'s database: its dialect writes the SQL, and quotes what the differ spells.
          const target = getDialect(from.dialect)
          const result = diff(from.schema, to.schema, [], await diffOptionsFor(target, from.schema, to.schema))
          const plan = target.plan(result.changes, options.unsafe ? directPolicy : safePolicy, {
            from: from.schema,
            to: to.schema,
          })
          for (const question of result.questions) {
            ctx.out.warn(`${describeQuestion(question)} Planned as drop and add; add a rename hint if it is a rename.`)
          }
          if (ctx.out.json) {
            ctx.out.result({
              changes: result.changes,
              questions: result.questions,
              steps: plan.steps,
              reversible: isReversible(plan),
            })
          } else if (options.format === 'json') {
            ctx.out.line(
              JSON.stringify({ changes: result.changes, questions: result.questions, steps: plan.steps }, null, 2),
            )
          } else if (plan.steps.length > 0) {
            // Piped to psql, each statement commits on its own: what must not stop half-way is wrapped in a transaction.
            const sql = planToSql(plan, { atomic: target.capabilities.transactionalDdl })
            ctx.out.line(sql)
            // The findings of the same rules as `keel lint`, from the steps' facts, on stderr under the SQL: the
            // rules of the plan's dialect.
            const { lintSteps } = await import('../../lint/lint-plan.js')
            const { formatFinding } = await import('../../lint/format-finding.js')
            const linted = await lintSteps('diff', sql, plan.steps, undefined, {
              severities: ctx.config.lint.rules,
              dialect: from.dialect,
            })
            for (const finding of linted.findings) process.stderr.write(`${formatFinding(finding)}\n`)
          }
          ctx.out.progress(
            plan.steps.length === 0
              ? 'no differences'
              : `${plural(result.changes.length, 'change')}, ${plural(plan.steps.length, 'statement')}${isReversible(plan) ? '' : ' (not all reversible)'}`,
          )
          return options.exitCode && plan.steps.length > 0 ? 1 : 0
        }),
      ),
    )
}

/** Whether every source is read on a scratch database: neither a database URL nor a JSON snapshot. */
function bothOnScratch(cwd: string, ...srcs: readonly string[]): boolean {
  try {
    return srcs.every((src) => !['url', 'json'].includes(classifySource(src, cwd).kind))
  } catch {
    // The load reports it, as it did.
    return false
  }
}
