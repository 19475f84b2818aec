import { Option } from 'commander'
import type { DialectName } from '../../dialect/registry.js'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { requireExistingDatabase } from '../read-only.js'
import { loadListingUnmanaged, warnUnmanaged } from './shared.js'

interface InspectOptions {
  readonly format: 'sql' | 'json' | 'ts' | 'prisma' | 'drizzle'
}

/** `keel inspect [--format sql|json|ts]`: the live database's schema. */
export const registerInspect: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('inspect').description("print the live database's schema"))
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['sql', 'json', 'ts', 'prisma', 'drizzle'])
        .default('sql'),
    )
    .action(
      run<InspectOptions>(async (ctx, options) => {
        // --json's document is the model; printing it in place of the TS, Prisma or Drizzle asked for would be silent.
        if (ctx.out.json && options.format !== 'sql' && options.format !== 'json')
          throw new KeelError(
            'USAGE',
            `--format ${options.format} prints a ${options.format} schema, not JSON: it cannot be combined with --json`,
            `Drop --json to get the ${options.format} text, or drop --format to get the model as JSON.`,
          )
        requireExistingDatabase(ctx, ctx.url)
        const { schema, dialect } = await loadListingUnmanaged(ctx, ctx.url)
        const summary = {
          tables: schema.tables.length,
          views: schema.views.length,
          enums: schema.enums.length,
          sequences: schema.sequences.length,
        }
        if (ctx.out.json) {
          ctx.out.result({ schema, summary })
          return 0
        }
        if (options.format === 'json') ctx.out.line(JSON.stringify(schema, null, 2))
        else if (options.format === 'ts') {
          const [{ printSchemaModule }, { loadRuntime }] = await Promise.all([
            import('../../schema/print-ts.js'),
            import('../../dialect/runtimes.js'),
          ])
          // The names the printer writes into SQL text are quoted as the database it read them from quotes them.
          ctx.out.line(printSchemaModule(schema, { quoteIdent: (await loadRuntime(dialect)).quoteIdent }))
        } else if (options.format === 'prisma' || options.format === 'drizzle') {
          const { printForeignSchema } = await import('../../interop/print/print-foreign.js')
          const printed = await printForeignSchema(options.format, schema, dialect)
          ctx.out.line(printed.text.trimEnd())
          for (const item of printed.skipped) ctx.out.warn(`not in the ${options.format} schema: ${item}`)
        } else ctx.out.line(await schemaSql(schema, dialect))
        warnUnmanaged(ctx, schema)
        ctx.out.progress(
          `${summary.tables} tables, ${summary.views} views, ${summary.enums} enums, ${summary.sequences} sequences`,
        )
        return 0
      }),
    )
}

/**
 * The schema as the SQL that creates it: the plan from an empty schema. Loaded on demand, so that the other formats
 * start without the differ and the planner's renderers, and for the database's dialect alone (not the registry's all).
 */
async function schemaSql(schema: Schema, dialect: DialectName): Promise<string> {
  const [{ loadDialect }, { diff }, { directPolicy }, { emptySchema }, { planToSql }] = await Promise.all([
    import('../../dialect/runtimes.js'),
    import('../../diff/diff.js'),
    import('../../plan/policy.js'),
    import('../../schema/model.js'),
    import('../format/plan-sql.js'),
  ])
  const target = await loadDialect(dialect)
  const plan = target.plan(diff(emptySchema, schema, [], target).changes, directPolicy)
  return planToSql(plan, { annotate: false })
}
