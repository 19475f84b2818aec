import { devUrlOf } from '../../config/database-url.js'
import { redactUrl } from '../../db/url.js'
import type { IntrospectOptions } from '../../dialect/dialect.js'
import type { Schema } from '../../schema/model.js'
import { type LoadedSource, loadSchemaSource, serverNear } from '../../source/load-source.js'
import type { CommandContext } from '../context.js'

/**
 * Introspection scope from the config: Keel's journal left out (and its namespace, when it has its own:
 * docs/migrations.md asks that such a namespace hold nothing else), namespaces as configured.
 */
export function introspectOptionsOf(ctx: CommandContext): IntrospectOptions {
  const journalSchema = ctx.config.journalSchema
  const own = journalSchema === 'public' ? {} : { excludeNamespaces: [journalSchema] }
  const scope = ctx.config.namespaces ? { namespaces: ctx.config.namespaces } : {}
  return { excludeTables: [`${journalSchema}.keel_migrations`], ...own, ...scope }
}

/**
 * Loads a SRC for a command, normalising declared schemas beside whichever server is involved, so
 * that both sides of a comparison are printed by the same PostgreSQL version.
 */
export function loadForCommand(
  ctx: CommandContext,
  src: string,
  ...otherSides: readonly (string | undefined)[]
): Promise<LoadedSource> {
  return load(ctx, src, otherSides, introspectOptionsOf(ctx))
}

/**
 * `loadForCommand`, and the loaded schema lists what Keel does not model (`Schema.unmanaged`), which `inspect` and
 * `diff` name on stderr: left alone, never dropped.
 */
export function loadListingUnmanaged(
  ctx: CommandContext,
  src: string,
  ...otherSides: readonly (string | undefined)[]
): Promise<LoadedSource> {
  return load(ctx, src, otherSides, { ...introspectOptionsOf(ctx), unmanaged: true })
}

async function load(
  ctx: CommandContext,
  src: string,
  otherSides: readonly (string | undefined)[],
  introspect: IntrospectOptions,
): Promise<LoadedSource> {
  // devUrl first (DESIGN.md): it is how a project keeps scratch databases off a server it may not create them on.
  const near = devUrlOf(ctx.config) ?? (await serverNear(...otherSides, src))
  ctx.out.progress(`reading ${redactUrl(src)}`)
  return loadSchemaSource(src, {
    cwd: ctx.cwd,
    ...(near === undefined ? {} : { near }),
    introspect,
    // The runner's modules load only when a migrations directory is the source.
    replayMigrations: async (conn, dir) => (await import('../../migrate/replay.js')).replayMigrations(conn, dir),
  })
}

/** Warns, on stderr, about each object of `schema` that Keel leaves alone. `side` says which schema it is in. */
export function warnUnmanaged(ctx: CommandContext, schema: Schema, side?: string): void {
  for (const object of schema.unmanaged ?? []) {
    ctx.out.warn(
      `not managed by Keel, left as it is${side === undefined ? '' : ` (${side})`}: ${object.kind} ${object.name}`,
    )
  }
}
