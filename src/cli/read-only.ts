import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { missingEmbeddedDatabase } from '../db/url.js'
import { KeelError } from '../errors.js'
import type { CommandContext } from './context.js'

/**
 * Whether `src` names an embedded database (a PGlite directory, a SQLite file) that holds no database yet.
 * Opening one creates it (tens of megabytes in `.keel/db`), which a command that only reads must never do.
 */
export function isMissingEmbeddedDatabase(src: string, cwd: string): boolean {
  return missingEmbeddedDatabase(src, cwd) !== undefined
}

/** Whether the working directory looks like a Keel project: a config, a schema file or a migrations folder. */
export function isProject(ctx: CommandContext): boolean {
  return ctx.config.configFile !== undefined || existsSync(ctx.config.migrations) || existsSync(ctx.config.schema)
}

/**
 * For a read-only command (status, check, diff, inspect, types): stops with NO_PROJECT in a folder that is no
 * project, and with NO_DATABASE when `src` is an embedded database that does not exist yet, instead of
 * creating it by reading it.
 */
export function requireExistingDatabase(ctx: CommandContext, src: string): void {
  const dir = missingEmbeddedDatabase(src, ctx.cwd)
  if (dir === undefined) return
  if (!isProject(ctx) && src === ctx.url) throw noProject(ctx)
  throw new KeelError('NO_DATABASE', `there is no database yet in ${dir}: nothing to read`)
}

/** The error of a read-only command in a folder with no project and no database named. */
export function noProject(ctx: CommandContext): KeelError {
  return new KeelError(
    'NO_PROJECT',
    `no Keel project in ${ctx.cwd} (no keel.config.ts, ${relative(ctx.cwd, ctx.config.schema)} or ${relative(ctx.cwd, ctx.config.migrations)}/), and no database named`,
  )
}
