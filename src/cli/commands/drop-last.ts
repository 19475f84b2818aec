import { redactUrl } from '../../db/url.js'
import type { Migration } from '../../migrate/directory.js'
import { displayPath } from '../../migrate/directory.js'
import { dropMigration, droppableLast } from '../../migrate/drop-last.js'
import { readStatus } from '../../migrate/read-status.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { isMissingEmbeddedDatabase } from '../read-only.js'

/**
 * `keel drop-last`: deletes the newest migration and its keel.sum line, as Drizzle's `drop` does, when no
 * database Keel can see has applied it (see migrate/drop-last.ts). `keel generate --amend` drops it and
 * writes it again from the schema.
 */
export const registerDropLast: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program.command('drop-last').description('delete the newest migration if no database has applied it (a draft)'),
  ).action(
    run(async (ctx) => {
      const last = await lastUnapplied(ctx)
      dropMigration(ctx.config.migrations, last)
      ctx.out.result({ dropped: { id: last.id, version: last.version, dir: last.dir } })
      ctx.out.line(`Dropped ${displayPath(last.dir)}/ and its keel.sum line.`)
      return 0
    }),
  )
}

/** The newest migration, after checking that keel.sum and the database's journal both show it unapplied. */
export async function lastUnapplied(ctx: CommandContext): Promise<Migration> {
  // An embedded database that does not exist has applied nothing, and opening it would create it.
  const noDatabase = isMissingEmbeddedDatabase(ctx.url, ctx.cwd)
  const report = await readStatus({
    url: noDatabase ? undefined : ctx.url,
    migrationsDir: ctx.config.migrations,
    journalSchema: ctx.config.journalSchema,
  })
  return droppableLast(ctx.config.migrations, report.states, redactUrl(ctx.url))
}
