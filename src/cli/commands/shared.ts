import { redactUrl } from '../../db/url.js'
import { replayMigrations } from '../../migrate/replay.js'
import type { IntrospectOptions } from '../../dialect/dialect.js'
import { type LoadedSource, loadSchemaSource, serverNear } from '../../source/load-source.js'
import type { CommandContext } from '../context.js'

/** Keel's own tables never show up in a schema comparison. */
export const KEEL_TABLES: readonly string[] = ['keel_migrations']

/** Introspection scope from the config: Keel's tables left out, namespaces as configured. */
export function introspectOptionsOf(ctx: CommandContext): IntrospectOptions {
  return ctx.config.namespaces
    ? { excludeTables: KEEL_TABLES, namespaces: ctx.config.namespaces }
    : { excludeTables: KEEL_TABLES }
}

/**
 * Loads a SRC for a command, normalising declared schemas beside whichever server is involved, so
 * that both sides of a comparison are printed by the same PostgreSQL version.
 */
export async function loadForCommand(
  ctx: CommandContext,
  src: string,
  ...otherSides: readonly (string | undefined)[]
): Promise<LoadedSource> {
  const near = serverNear(...otherSides, src, ctx.config.devUrl)
  ctx.out.progress(`reading ${redactUrl(src)}`)
  return loadSchemaSource(src, {
    cwd: ctx.cwd,
    ...(near === undefined ? {} : { near }),
    introspect: introspectOptionsOf(ctx),
    replayMigrations: (conn, dir) => replayMigrations(conn, dir),
  })
}
