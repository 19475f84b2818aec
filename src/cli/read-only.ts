import { existsSync, readdirSync, statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { PGLITE_LOCK_FILE } from '../db/drivers/pglite-dir-lock.js'
import { isDatabaseUrl, parseDatabaseUrl } from '../db/url.js'
import { KeelError } from '../errors.js'
import type { CommandContext } from './context.js'

/**
 * Whether `src` names an embedded (PGlite) database directory that holds no database yet. Opening one creates
 * it (tens of megabytes in `.keel/db`), which a command that only reads must never do.
 */
export function isMissingEmbeddedDatabase(src: string, cwd: string): boolean {
  if (!isDatabaseUrl(src)) return false
  const parsed = parseDatabaseUrl(src)
  // Opening a SQLite file that is not there creates it, too.
  if (parsed.kind === 'sqlite') return parsed.path !== ':memory:' && !existsSync(resolve(cwd, parsed.path))
  if (parsed.kind !== 'pglite' || parsed.dir === 'memory') return false
  // initdb writes PG_VERSION first; a directory without it holds no cluster. A path that holds something else
  // (a file, a folder of other files) is not "missing": opening it refuses it as BAD_URL and writes nothing.
  const dir = resolve(cwd, parsed.dir)
  if (!existsSync(dir)) return true
  if (!statSync(dir).isDirectory()) return false
  return readdirSync(dir).every((name) => name === PGLITE_LOCK_FILE)
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
  if (!isMissingEmbeddedDatabase(src, ctx.cwd)) return
  if (!isProject(ctx) && src === ctx.url) throw noProject(ctx)
  const parsed = parseDatabaseUrl(src) as { dir?: string; path?: string }
  const dir = relative(ctx.cwd, resolve(ctx.cwd, parsed.dir ?? parsed.path ?? '.')) || '.'
  throw new KeelError('NO_DATABASE', `there is no database yet in ${dir}: nothing to read`)
}

/** The error of a read-only command in a folder with no project and no database named. */
export function noProject(ctx: CommandContext): KeelError {
  return new KeelError(
    'NO_PROJECT',
    `no Keel project in ${ctx.cwd} (no keel.config.ts, ${relative(ctx.cwd, ctx.config.schema)} or ${relative(ctx.cwd, ctx.config.migrations)}/), and no database named`,
  )
}
