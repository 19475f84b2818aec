import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { devUrlOf } from '../../config/database-url.js'
import { kyselyTypes } from '../../interop/kysely/kysely-types.js'
import { displayPath } from '../../migrate/directory.js'
import { serverNear } from '../../source/load-source.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { requireExistingDatabase } from '../read-only.js'
import { loadForCommand } from './shared.js'

/** `keel types [--from SRC] [--out FILE]`: Kysely's `DB` interface for a schema. */
export const registerTypes: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program
      .command('types')
      .description("write Kysely's DB interface (row types) for a schema, as kysely-codegen does"),
  )
    .option('--from <src>', 'the schema: a database URL, schema file or migrations directory (default: the database)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(
      run<{ from?: string; out?: string }>(async (ctx, flags) => {
        const src = flags.from ?? ctx.url
        requireExistingDatabase(ctx, src)
        const loaded = await loadForCommand(ctx, src)
        const text = await kyselyTypes(src, loaded.schema, devUrlOf(ctx.config) ?? (await serverNear(src)))
        const relations = loaded.schema.tables.length + loaded.schema.views.length
        if (flags.out === undefined) {
          if (ctx.out.json) ctx.out.result({ types: text, relations })
          else process.stdout.write(text)
        } else {
          const out = resolve(ctx.cwd, flags.out)
          writeFileSync(out, text)
          ctx.out.result({ out, relations })
          ctx.out.line(`Wrote the types of ${relations} tables and views to ${displayPath(out)}.`)
        }
        return 0
      }),
    )
}
