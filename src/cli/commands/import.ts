import { resolve } from 'node:path'
import { migrationFormats } from '../../interop/import/formats.js'
import { importMigrations } from '../../interop/import/import-migrations.js'
import { displayPath } from '../../migrate/directory.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { plural } from '../format/plural.js'

/** `keel import DIR --from TOOL [--out DIR]`: converts another tool's migrations folder into Keel's. */
export const registerImport: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program
      .command('import')
      .description("convert another tool's migrations folder into Keel's migrations directory")
      .addHelpText(
        'after',
        `\nTools (--from):\n${migrationFormats.map((f) => `  ${f.tool.padEnd(16)}${f.describe}`).join('\n')}`,
      ),
  )
    .argument('<dir>', "the other tool's migrations folder")
    .option('--from <tool>', `the tool that wrote it: ${migrationFormats.map((f) => f.tool).join(', ')}`)
    .option('--out <dir>', "Keel's migrations directory to write (default: the configured one; must be empty)")
    .action(
      run<{ from?: string; out?: string }>(async (ctx, flags, args) => {
        const out = flags.out === undefined ? ctx.config.migrations : resolve(ctx.cwd, flags.out)
        const dir = resolve(ctx.cwd, args[0] ?? '.')
        const result = await importMigrations({ dir, tool: flags.from, out, near: ctx.url })
        ctx.out.result({ tool: result.tool, out, migrations: result.migrations })
        for (const m of result.migrations) {
          const extras = [m.down ? 'with down' : 'no down', ...(m.noTransaction ? ['no transaction'] : [])]
          ctx.out.line(`  ${m.id}  ← ${m.from.join(', ')} (${extras.join(', ')})`)
          for (const note of m.notes) ctx.out.warn(note)
        }
        ctx.out.line(
          `Imported ${plural(result.migrations.length, 'migration')} from ${result.tool} into ${displayPath(out)} (keel.sum written).`,
        )
        ctx.out.line(
          `On a database the ${result.tool} migrations already ran on, adopt them with \`keel baseline --from-peer\`.`,
        )
        return 0
      }),
    )
}
